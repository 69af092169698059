"""The `meetings` job: place an event's accepted meetings in slots and tables."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import current_app

from api.exceptions import JobFailed
from api.extensions import db
from api.models import Event
from api.models.enums import ScheduleKind
from api.schedules.operations import new_version
from api.solving.context import JobContext
from api.solving.meeting_instance import build_meeting_instance, store_meeting_result
from scheduler.meetings import SolveOptions, solve
from scheduler.meetings.result import Progress, Status


def run_meetings_job(context: JobContext) -> dict[str, Any]:
    job = context.job
    event = db.session.get(Event, job.event_id)
    assert event is not None
    built = build_meeting_instance(event)
    if "fairness" in job.params:
        # The job's fairness (max - min breaks per participant; None: no bound) replaces
        # the event's for this solve. It is part of the instance, not of SolveOptions,
        # because the validator checks a schedule against the instance.
        built = dataclasses.replace(
            built, instance=dataclasses.replace(built.instance, fairness=job.params["fairness"])
        )
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
    version = new_version(event, ScheduleKind.MEETINGS, job.id)
    summary = store_meeting_result(
        event,
        version,
        built,
        result,
        link_template=current_app.config.get("MEETING_LINK_TEMPLATE"),
        secret_key=current_app.config["SECRET_KEY"],
    )
    return {"version_id": version.id, **summary}
