"""The `agenda` job: place an event's sessions in rooms and start times."""

from __future__ import annotations

from typing import Any

from flask import current_app

from api.extensions import db
from api.models import Event
from api.models.enums import ScheduleKind
from api.schedules.operations import new_version
from api.solving.agenda_instance import build_agenda_instance, store_agenda_result
from api.solving.context import JobContext
from scheduler.agenda import Progress, SolveOptions, solve


def run_agenda_job(context: JobContext) -> dict[str, Any]:
    job = context.job
    event = db.session.get(Event, job.event_id)
    assert event is not None
    built = build_agenda_instance(event)
    options = SolveOptions(
        time_limit_s=float(job.params.get("time_limit", current_app.config["SOLVER_TIME_LIMIT"])),
        workers=int(job.params.get("workers", current_app.config["SOLVER_WORKERS"])),
    )

    # CP-SAT reports from its own threads, which have no application context.
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def on_progress(progress: Progress) -> None:
        with app.app_context():
            context.report(
                {
                    "objective": progress.objective,
                    "bound": progress.bound,
                    "elapsed": round(progress.elapsed_s, 2),
                }
            )

    result = solve(built.instance, options, progress=on_progress, cancel=context.cancel)
    if context.cancel.is_set():
        return {"status": "cancelled"}  # the runner settles the job as cancelled
    if not result.has_agenda:
        reason = result.message or "no agenda found within the time limit"
        raise RuntimeError(f"agenda {result.status}: {reason}")
    version = new_version(event, ScheduleKind.AGENDA, job.id)
    summary = store_agenda_result(event, version, built, result)
    return {"version_id": version.id, **summary}
