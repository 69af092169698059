"""The demo's solver steps: run a job like an organiser would, then publish its draft."""

from __future__ import annotations

from typing import Any

from flask import current_app

from api.extensions import db
from api.models import Event, Job, ScheduleVersion
from api.models.enums import JobStatus
from api.schedules.operations import publish_version
from api.solving.meeting_instance import fresh_meeting_instance
from api.solving.operations import start_job
from benchkit.meetings.baseline import fcfs_baseline


class DemoStepFailed(RuntimeError):
    pass


def run_and_publish(event: Event, kind: str, params: dict[str, Any]) -> ScheduleVersion:
    """Queue a job on the embedded runner, wait for it, publish the draft it made."""
    job, _ = start_job(event, kind, params)
    runner = current_app.extensions["clustermeet_jobs"]
    runner.join()
    db.session.expire_all()
    finished = db.session.get(Job, job.id)
    assert finished is not None
    if finished.status != JobStatus.SUCCEEDED:
        raise DemoStepFailed(f"The {kind} job {finished.status}: {finished.error}")
    version = db.session.get(ScheduleVersion, finished.result["version_id"])
    assert version is not None
    publish_version(event, version)
    db.session.commit()
    return version


def baseline_figures(event: Event) -> dict[str, int]:
    """What a first-come-first-served platform would do with the same accepted meetings."""
    fresh = fresh_meeting_instance(event)
    result = fcfs_baseline(fresh)
    return {
        "scheduled": len(result.assignments),
        "meetings": len(fresh.meetings),
        "total_breaks": sum(result.breaks.values()),
        "max_breaks": max(result.breaks.values(), default=0),
    }
