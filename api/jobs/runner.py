"""Handing jobs to workers: an in-process thread (embedded) or Celery (distributed).

Both backends run the same ``api.jobs.execute.run_job(job_id)``; the API never passes
objects, only the job id, and Celery gets the task by name so ``api`` never imports
``worker``.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Protocol

from flask import Flask, current_app

log = logging.getLogger(__name__)

RUN_JOB_TASK = "clustermeet.run_job"


class JobRunner(Protocol):
    def submit(self, job_id: int) -> None: ...


class ThreadJobRunner:
    """One daemon thread per app that runs queued jobs in order, like a one-slot worker."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._queue: queue.Queue[int] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job_id: int) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="clustermeet-jobs", daemon=True
                )
                self._thread.start()
        self._queue.put(job_id)

    def join(self, timeout: float | None = None) -> None:
        """Wait until every submitted job has run (the CLI and tests use this)."""
        del timeout
        self._queue.join()

    def _loop(self) -> None:
        from api.jobs.execute import run_job

        while True:
            job_id = self._queue.get()
            try:
                with self._app.app_context():
                    run_job(job_id)
            except Exception:
                log.exception("job %s crashed", job_id)
            finally:
                self._queue.task_done()


class CeleryJobRunner:
    def __init__(self, app: Flask) -> None:
        from celery import Celery

        self._celery = Celery("clustermeet-api")
        self._celery.config_from_object(app.config["CELERY"])

    def submit(self, job_id: int) -> None:
        self._celery.send_task(RUN_JOB_TASK, args=[job_id])


def init_jobs(app: Flask) -> None:
    backend = app.config["JOBS_BACKEND"]
    runner: JobRunner
    if backend == "thread":
        runner = ThreadJobRunner(app)
    elif backend == "celery":
        runner = CeleryJobRunner(app)
    else:
        raise RuntimeError(f"CLUSTERMEET_JOBS must be 'thread' or 'celery', not {backend!r}")
    app.extensions["clustermeet_jobs"] = runner


def job_runner() -> JobRunner:
    runner: JobRunner = current_app.extensions["clustermeet_jobs"]
    return runner
