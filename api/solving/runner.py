"""Handing jobs to workers: an in-process thread (embedded) or Celery (distributed).

Both backends run the same ``api.solving.execute.run_job(job_id)``; the API never passes
objects, only the job id, and Celery gets the task by name so ``api`` never imports
``worker``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from flask import Flask, current_app

from api.config import celery_settings

log = logging.getLogger(__name__)

RUN_JOB_TASK = "clustermeet.run_job"


class JobRunner(Protocol):
    def submit(self, job_id: int) -> None: ...


def solver_time_cap(app: Flask) -> float:
    """The longest solve a job may ask for: safely below the task's soft time limit.

    The margin leaves time to write the results in their transaction before Celery
    interrupts the task; the embedded thread has no limit but applies the same cap so
    both modes behave alike.
    """
    soft = float(app.config["CELERY"].get("task_soft_time_limit") or 900)
    return max(1.0, soft - max(2.0, soft * 0.1))


class ThreadJobRunner:
    """One daemon thread per app that runs queued jobs in order, like a one-slot worker.

    Several processes may each have one (``gunicorn -w 4`` without a broker): each
    recovers unfinished jobs on every submit, and the job lease (api/solving/execute.py)
    keeps a job with one live runner at a time.
    """

    def __init__(self, app: Flask) -> None:
        from api.solving.execute import process_owner

        self._app = app
        self._queue: queue.Queue[int] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._owner = f"{process_owner()}:{uuid.uuid4().hex[:8]}"
        self._pending: set[int] = set()
        # Set while jobs may start; cleared by ``paused()``.
        self._running = threading.Event()
        self._running.set()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Jobs submitted meanwhile wait until the block ends (one pause at a time)."""
        self._running.clear()
        try:
            yield
        finally:
            self._running.set()

    def submit(self, job_id: int) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="clustermeet-jobs", daemon=True
                )
                self._thread.start()
        # A job another process left (it stopped, or is still running it: then the lease
        # makes this runner skip it) is picked up here, there being no broker.
        for stale_id in [*self._unfinished_job_ids(), job_id]:
            with self._lock:
                if stale_id in self._pending:
                    continue
                self._pending.add(stale_id)
            self._queue.put(stale_id)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every submitted job has run; False if ``timeout`` came first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def _unfinished_job_ids(self) -> list[int]:
        # A process that stopped mid-job left its jobs queued or running: the thread
        # runner has no broker to redeliver them, so it picks them up itself.
        from sqlalchemy import select

        from api.extensions import db
        from api.models import Job
        from api.models.jobs import ACTIVE_JOB_STATUSES

        with db.engine.connect() as connection:
            rows = connection.scalars(
                select(Job.id).where(Job.status.in_(ACTIVE_JOB_STATUSES)).order_by(Job.id)
            )
            return list(rows)

    def _loop(self) -> None:
        from api.solving.execute import run_job

        while True:
            job_id = self._queue.get()
            self._running.wait()
            with self._lock:
                self._pending.discard(job_id)
            try:
                with self._app.app_context():
                    run_job(job_id, lease_owner=self._owner)
            except Exception:
                log.exception("job %s crashed", job_id)
            finally:
                self._queue.task_done()


class CeleryJobRunner:
    def __init__(self, app: Flask) -> None:
        from celery import Celery

        self._celery = Celery("clustermeet-api")
        self._celery.config_from_object(celery_settings(app))

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
