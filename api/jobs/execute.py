"""Running one job: status transitions, throttled progress, cancellation, one-transaction results.

Whichever process runs it (the embedded thread or a Celery worker), a job's results are
written in the same transaction that marks it succeeded, so a worker that dies mid-solve
leaves no partial schedule, and a redelivered job simply runs again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import update

from api.extensions import db
from api.jobs.handlers import HANDLERS, JobContext
from api.models import Job
from api.models.types import now_utc

log = logging.getLogger(__name__)

FINAL_STATUSES = ("succeeded", "failed", "cancelled")
PROGRESS_INTERVAL_S = 1.0
CANCEL_POLL_S = 0.5


class ProgressWriter:
    """Writes progress on its own connection, at most once per interval."""

    def __init__(self, job_id: int, interval: float = PROGRESS_INTERVAL_S) -> None:
        self._job_id = job_id
        self._interval = interval
        self._last = 0.0
        self._lock = threading.Lock()

    def __call__(self, progress: dict[str, Any], force: bool = False) -> None:
        with self._lock:
            now = time.monotonic()
            if not force and now - self._last < self._interval:
                return
            self._last = now
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self._job_id).values(progress=progress))


class CancelWatcher:
    """Polls the job row so a DELETE from any process stops the solver within a second."""

    def __init__(self, job_id: int) -> None:
        self.event = threading.Event()
        self._job_id = job_id
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> threading.Event:
        self._thread.start()
        return self.event

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)

    def _watch(self) -> None:
        from sqlalchemy import select

        while not self._done.wait(CANCEL_POLL_S):
            with db.engine.connect() as connection:
                requested = connection.scalar(
                    select(Job.is_cancel_requested).where(Job.id == self._job_id)
                )
            if requested:
                self.event.set()
                return


def run_job(job_id: int) -> str:
    """Run a job to its end; returns the final status. Safe to call again after a crash."""
    job = db.session.get(Job, job_id)
    if job is None:
        log.warning("job %s vanished", job_id)
        return "missing"
    if job.status in FINAL_STATUSES:
        return job.status
    if job.is_cancel_requested:
        _finish(job, "cancelled")
        return job.status
    job.status = "running"
    job.started_dt = now_utc()
    job.attempts += 1
    db.session.commit()
    started = time.monotonic()
    write_progress = ProgressWriter(job_id)
    try:
        with CancelWatcher(job_id) as cancel:
            handler: Callable[[JobContext], dict[str, Any]] = HANDLERS[job.kind]
            context = JobContext(job=job, cancel=cancel, report=write_progress)
            summary = handler(context)
        summary["seconds"] = round(time.monotonic() - started, 3)
        if cancel.is_set():
            db.session.rollback()
            job = db.session.get(Job, job_id)
            assert job is not None
            _finish(job, "cancelled")
        else:
            _finish(job, "succeeded", result=summary)
    except Exception as exc:
        db.session.rollback()
        log.exception("job %s failed", job_id)
        job = db.session.get(Job, job_id)
        assert job is not None
        _finish(job, "failed", error=f"{type(exc).__name__}: {exc}")
    return job.status


def _finish(job: Job, status: str, result: dict[str, Any] | None = None, error: str = "") -> None:
    job.status = status
    job.finished_dt = now_utc()
    if result is not None:
        job.result = result
    job.error = error
    db.session.commit()
