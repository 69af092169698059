"""Starting and cancelling solver jobs: one active job per event and kind."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.events.lookup import get_in_event
from api.exceptions import Conflict, InvalidInput, ServiceUnavailable
from api.extensions import db
from api.models import Event, Job
from api.models.enums import JobStatus
from api.models.jobs import ACTIVE_JOB_STATUSES
from api.models.types import now_utc
from api.solving.execute import handler_for
from api.solving.runner import job_runner, solver_time_cap

log = logging.getLogger(__name__)


class JobQueueUnavailable(ServiceUnavailable):
    """The broker did not take the job; the job is recorded as failed."""


def get_job(event: Event, job_id: int) -> Job:
    return get_in_event(Job, event, job_id, "Job")


def active_job(event: Event, kind: str) -> Job | None:
    return db.session.scalar(
        select(Job)
        .where(Job.event_id == event.id, Job.kind == kind, Job.status.in_(ACTIVE_JOB_STATUSES))
        .order_by(Job.id)
        .limit(1)
    )


def start_job(event: Event, kind: str, params: dict[str, Any]) -> tuple[Job, bool]:
    """The event's active job of this kind, or a new queued one; True when it is new.

    The new job is handed to the runner only after its row is committed, so a worker
    never looks for a job that is not there yet.
    """
    if handler_for(kind) is None:
        raise InvalidInput({"kind": [f"No solver runs {kind!r} jobs yet."]})
    # Locking the event row serialises concurrent posts for one event on PostgreSQL,
    # so two clicks cannot start two solves.
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    existing = active_job(event, kind)
    if existing is not None and _is_abandoned(existing):
        existing.status = JobStatus.FAILED
        existing.error = "Its worker stopped without reporting back; the job was abandoned."
        existing.finished_dt = now_utc()
        db.session.flush()  # before the new job's INSERT: one active job per kind
        existing = None
    if existing is not None:
        db.session.commit()
        return existing, False
    job = Job(event_id=event.id, kind=kind, params=_job_params(params), status=JobStatus.QUEUED)
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        # A simultaneous post won (on SQLite, which has no row lock): its job is ours.
        db.session.rollback()
        winner = active_job(event, kind)
        if winner is None:
            raise
        return winner, False
    try:
        job_runner().submit(job.id)
    except Exception as exc:
        log.exception("job %s could not be queued", job.id)
        job.status = JobStatus.FAILED
        job.error = "The job queue is unreachable; try again later."
        job.finished_dt = now_utc()
        db.session.commit()
        raise JobQueueUnavailable("The job queue is unreachable; try again later.") from exc
    return job, True


def cancel_job(job: Job) -> Job:
    """Cancel a queued job at once; ask a running one to stop (its worker confirms)."""
    if job.status not in ACTIVE_JOB_STATUSES:
        raise Conflict(f"The job has already finished ({job.status})")
    job.is_cancel_requested = True
    if job.status == JobStatus.QUEUED:
        # The worker that later receives it sees the final status and does nothing.
        job.status = JobStatus.CANCELLED
        job.finished_dt = now_utc()
    db.session.commit()
    return job


def _job_params(params: dict[str, Any]) -> dict[str, Any]:
    cap = solver_time_cap(current_app)
    requested = params.get("time_limit") or current_app.config["SOLVER_TIME_LIMIT"]
    return {**params, "time_limit": min(float(requested), cap)}


def _is_abandoned(job: Job) -> bool:
    """A running job older than the hard time limit has no worker left to finish it.

    Celery kills a task at its hard limit without letting it write its status, so such a
    job would otherwise block its event forever.
    """
    if job.status != JobStatus.RUNNING or job.started_dt is None:
        return False
    if current_app.config["JOBS_BACKEND"] != "celery":
        return False
    hard = float(current_app.config["CELERY"].get("task_time_limit") or 960)
    return job.started_dt < now_utc() - timedelta(seconds=hard + 60)
