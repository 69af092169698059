"""Running one job: status transitions, throttled progress, cancellation, one-transaction results.

Whichever process runs it (the embedded thread or a Celery worker), a job's results are
written in the same transaction that marks it succeeded, so a worker that dies mid-solve
leaves no partial schedule, and a redelivered job simply runs again.

Each run claims the job by incrementing ``attempts``; that number fences the run. If a
job is delivered twice (a broker redelivering a message whose worker looked dead), the
newer run wins: the older one sees the number change, stops its solver and its final
write matches no row, so at most one run's results are ever committed.

A run also holds a lease on the job (``lease_owner``, ``lease_expires_dt``), renewed by a
heartbeat while it runs. The embedded thread runner has no broker to tell it whether a
running job's process is alive, so it passes its ``lease_owner`` and takes over only jobs
that are queued or whose lease expired (several ``gunicorn`` workers each recover
unfinished jobs at start). Celery runs ignore leases: the broker hands a message to one
worker and redelivers it only when that worker is lost, and the fencing above settles the
rest.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from api.exceptions import ClustermeetError
from api.extensions import db
from api.models import Job
from api.models.enums import JobStatus
from api.models.jobs import ACTIVE_JOB_STATUSES
from api.models.types import now_utc
from api.solving.context import Handler, JobContext
from api.solving.registry import HANDLERS
from matchmaking.errors import MatchmakingError
from scheduler.errors import SchedulerError

log = logging.getLogger(__name__)

FINAL_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
PROGRESS_INTERVAL_S = 1.0
CANCEL_POLL_S = 0.5
# A job whose worker keeps dying (say, killed for memory each time) must not loop forever.
MAX_ATTEMPTS = 3
DEFAULT_LEASE_S = 60.0

# Errors raised on purpose with a message for the organiser; anything else is a bug
# whose details belong in the log, not in the job.
_READABLE_ERRORS = (ClustermeetError, SchedulerError, MatchmakingError, RuntimeError)


def handler_for(kind: str) -> Handler | None:
    """The handler of a job kind (api/solving/registry.py), None for an unknown kind."""
    return HANDLERS.get(kind)


class ProgressWriter:
    """Writes progress on its own connection, at most once per interval.

    The solver callback fires on every improving solution, hundreds of times a second
    early in a search; one write per interval keeps the database out of the solver's way.
    """

    def __init__(self, job_id: int, attempt: int, interval: float = PROGRESS_INTERVAL_S) -> None:
        self._job_id = job_id
        self._attempt = attempt
        # Solver callbacks run on CP-SAT's threads, outside the app context: bind the
        # engine now rather than looking it up through the app later.
        self._engine = db.engine
        self._interval = interval
        self._started = time.monotonic()
        self._last = float("-inf")
        self._lock = threading.Lock()

    def __call__(self, progress: dict[str, Any], force: bool = False) -> None:
        with self._lock:
            now = time.monotonic()
            if not force and now - self._last < self._interval:
                return
            self._last = now
        values = {"elapsed": round(now - self._started, 2), **progress}
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    update(Job)
                    .where(Job.id == self._job_id, Job.attempts == self._attempt)
                    .values(progress=values)
                )
        except Exception:
            # Progress is advisory: a busy database must not fail the solve.
            log.warning("job %s: progress not written", self._job_id, exc_info=True)


class CancelWatcher:
    """Polls the job row so a DELETE from any process stops the solver within a second.

    It also notices a newer attempt of the same job (see the module docstring) and stops
    this one.
    """

    def __init__(self, job_id: int, attempt: int, lease_s: float = DEFAULT_LEASE_S) -> None:
        self.event = threading.Event()
        self.superseded = False
        self._job_id = job_id
        self._attempt = attempt
        self._engine = db.engine  # the watcher thread has no app context
        self._lease_s = lease_s
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="job-cancel", daemon=True)

    def __enter__(self) -> CancelWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)

    def _watch(self) -> None:
        # The heartbeat: renew the lease a few times per lease period.
        renew_every = max(CANCEL_POLL_S, self._lease_s / 3)
        renewed = time.monotonic()
        while not self._done.wait(CANCEL_POLL_S):
            if time.monotonic() - renewed >= renew_every:
                try:
                    renew_lease(self._engine, self._job_id, self._attempt, self._lease_s)
                    renewed = time.monotonic()
                except Exception:
                    log.warning("job %s: lease not renewed", self._job_id, exc_info=True)
            try:
                with self._engine.connect() as connection:
                    row = connection.execute(
                        select(Job.is_cancel_requested, Job.attempts).where(Job.id == self._job_id)
                    ).first()
            except Exception:
                # A transient database error must not end the watch (or the job).
                log.warning("job %s: cancel check failed", self._job_id, exc_info=True)
                continue
            if row is None or row.attempts != self._attempt:
                self.superseded = True
                self.event.set()
                return
            if row.is_cancel_requested:
                self.event.set()
                return


def renew_lease(engine: Engine, job_id: int, attempt: int, seconds: float) -> bool:
    """Extend the lease of the run ``attempt``; False if the job is no longer that run's."""
    with engine.begin() as connection:
        result = connection.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.attempts == attempt,
                Job.status.in_(ACTIVE_JOB_STATUSES),
            )
            .values(lease_expires_dt=now_utc() + timedelta(seconds=seconds))
        )
    return bool(result.rowcount == 1)


def process_owner() -> str:
    """This process, as written in ``lease_owner``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _is_leased_elsewhere(job: Job, owner: str) -> bool:
    return (
        job.status == JobStatus.RUNNING
        and job.lease_owner not in (None, owner)
        and job.lease_expires_dt is not None
        and job.lease_expires_dt > now_utc()
    )


def run_job(job_id: int, lease_owner: str | None = None) -> str:
    """Run a job to its end; returns the final status. Safe to call again after a crash.

    With ``lease_owner`` (the embedded runner), a job another live process holds is left
    alone and "leased" returned.
    """
    job = db.session.get(Job, job_id)
    if job is None:
        log.warning("job %s vanished", job_id)
        return "missing"
    if job.status in FINAL_STATUSES:
        return job.status
    if lease_owner is not None and _is_leased_elsewhere(job, lease_owner):
        db.session.rollback()
        return "leased"
    if job.is_cancel_requested:
        return _settle(job_id, job.attempts, JobStatus.CANCELLED)
    if job.attempts >= MAX_ATTEMPTS:
        return _settle(
            job_id,
            job.attempts,
            JobStatus.FAILED,
            error=f"The job was interrupted {job.attempts} times (its worker stopped each "
            "time, perhaps out of memory); it is not retried again.",
        )
    lease_s = float(current_app.config.get("JOB_LEASE_SECONDS", DEFAULT_LEASE_S))
    attempt = _claim(job, lease_owner, lease_s)
    if attempt is None:
        db.session.rollback()
        return "superseded"

    handler = handler_for(job.kind)
    if handler is None:
        return _settle(
            job_id, attempt, JobStatus.FAILED, error=f"No solver runs {job.kind!r} jobs yet."
        )
    started = time.monotonic()
    report = ProgressWriter(job_id, attempt)
    watcher = CancelWatcher(job_id, attempt, lease_s)
    try:
        with watcher:
            summary = handler(JobContext(job=job, cancel=watcher.event, report=report))
    except Exception:
        # A solve stopped by a cancel may end without any solution and raise; the
        # organiser asked for the stop, so it is a cancel, not a failure.
        if watcher.event.is_set():
            db.session.rollback()
            if watcher.superseded:
                return "superseded"
            return _settle(job_id, attempt, JobStatus.CANCELLED)
        return _fail(job_id, attempt)
    if watcher.superseded:
        db.session.rollback()
        return "superseded"
    if watcher.event.is_set():
        db.session.rollback()
        return _settle(job_id, attempt, JobStatus.CANCELLED)
    summary["seconds"] = round(time.monotonic() - started, 3)
    return _commit_success(job_id, attempt, summary)


def _fail(job_id: int, attempt: int) -> str:
    """Record why the handler raised: readable errors as they are, others as a pointer."""
    exc = sys.exc_info()[1]
    db.session.rollback()
    if isinstance(exc, SoftTimeLimitExceeded):
        error = "The job ran past its time limit; try a shorter solver time limit."
    elif isinstance(exc, _READABLE_ERRORS):
        log.info("job %s failed: %s", job_id, exc)
        error = str(exc) or type(exc).__name__
    else:
        log.exception("job %s failed", job_id)
        error = f"Internal error ({type(exc).__name__}); it is in the worker's log."
    return _settle(job_id, attempt, JobStatus.FAILED, error=error)


def _claim(job: Job, lease_owner: str | None, lease_s: float) -> int | None:
    """Mark the job running as a new attempt; None if another run claimed it first.

    With ``lease_owner`` a running job is taken only once its lease expired, in the same
    conditional UPDATE, so two processes recovering it at once cannot both win.
    """
    seen = job.attempts
    now = now_utc()
    conditions = [Job.id == job.id, Job.attempts == seen, Job.status.in_(ACTIVE_JOB_STATUSES)]
    if lease_owner is not None:
        conditions.append(
            or_(
                Job.status == JobStatus.QUEUED,
                Job.lease_expires_dt.is_(None),
                Job.lease_expires_dt <= now,
                Job.lease_owner == lease_owner,
            )
        )
    claimed = db.session.execute(
        update(Job)
        .where(*conditions)
        .values(
            status=JobStatus.RUNNING,
            attempts=seen + 1,
            lease_owner=lease_owner or process_owner(),
            lease_expires_dt=now + timedelta(seconds=lease_s),
            started_dt=now,
            progress={},
            result={},
            error="",
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.session.commit()
    db.session.refresh(job)
    return seen + 1


def _commit_success(job_id: int, attempt: int, summary: dict[str, Any]) -> str:
    """Mark the job succeeded in the same transaction as the results the handler staged."""
    try:
        db.session.flush()
        done = db.session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.attempts == attempt,
                Job.status == JobStatus.RUNNING,
                Job.is_cancel_requested.is_(False),
            )
            .values(status=JobStatus.SUCCEEDED, result=summary, error="", finished_dt=now_utc())
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:  # type: ignore[attr-defined]
            db.session.commit()
            return JobStatus.SUCCEEDED
        db.session.rollback()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("job %s: results not saved", job_id)
        return _settle(
            job_id,
            attempt,
            JobStatus.FAILED,
            error="The results could not be saved (the event changed meanwhile?); "
            "run the job again.",
        )
    # The row changed under us: a cancel arrived at the last moment, or a newer attempt.
    job = db.session.get(Job, job_id)
    if job is not None and job.attempts == attempt and job.is_cancel_requested:
        return _settle(job_id, attempt, JobStatus.CANCELLED)
    return "superseded"


def _settle(job_id: int, attempt: int, status: str, error: str = "") -> str:
    """Give an unfinished job its final status, unless a newer attempt owns it."""
    db.session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.attempts == attempt,
            Job.status.in_(ACTIVE_JOB_STATUSES),
        )
        .values(status=status, error=error, finished_dt=now_utc())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    job = db.session.get(Job, job_id)
    return job.status if job is not None else "missing"
