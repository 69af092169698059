"""The `meetings` job: place an event's accepted meetings in slots and tables."""

from __future__ import annotations

from typing import Any

from flask import current_app

from api.exceptions import JobFailed
from api.extensions import db
from api.models import Event
from api.schedules.operations import new_version
from api.solving.meeting_instance import build_meeting_instance, store_meeting_result
from api.solving.registry import JobContext, handler
from scheduler.meetings import SolveOptions, solve
from scheduler.meetings.result import Progress, Status


@handler("meetings")
def run_meetings_job(context: JobContext) -> dict[str, Any]:
    job = context.job
    event = db.session.get(Event, job.event_id)
    assert event is not None
    built = build_meeting_instance(event)
    options = SolveOptions(
        time_limit_s=float(job.params.get("time_limit", current_app.config["SOLVER_TIME_LIMIT"])),
        workers=int(job.params.get("workers", current_app.config["SOLVER_WORKERS"])),
    )

    def on_progress(progress: Progress) -> None:
        context.report(
            {
                "objective": progress.objective,
                "bound": progress.bound,
                "elapsed": round(progress.elapsed_s, 2),
            }
        )

    result = solve(built.instance, options, progress=on_progress, cancel=context.cancel)
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN) and not result.assignments:
        reason = result.infeasible_reason or "no schedule found within the time limit"
        raise JobFailed(f"No meeting schedule ({result.status}): {reason}")
    version = new_version(event, "meetings", job.id)
    summary = store_meeting_result(event, version, built, result)
    return {"version_id": version.id, **summary}
