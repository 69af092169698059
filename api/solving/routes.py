from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from api.http.guards import event_manager_required, get_managed_event
from api.http.pagination import paginate
from api.models import Job
from api.solving.operations import cancel_job, get_job, start_job
from api.solving.schemas import JobCreateSchema, JobQueryArgsSchema, JobSchema

blp = Blueprint(
    "jobs",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/jobs",
    description="Solver jobs: run on workers, with progress and cancellation",
)


@blp.route("")
class JobViews(MethodView):
    @event_manager_required
    @blp.arguments(JobQueryArgsSchema, location="query")
    @blp.response(200, JobSchema(many=True))
    @blp.paginate()
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """The event's jobs, newest first (organiser of the event)."""
        event = get_managed_event(event_id)
        query = select(Job).where(Job.event_id == event.id).order_by(Job.id.desc())
        if "kind" in args:
            query = query.where(Job.kind == args["kind"])
        if "status" in args:
            query = query.where(Job.status == args["status"])
        return paginate(query, pagination_parameters)

    @event_manager_required
    @blp.arguments(JobCreateSchema)
    @blp.response(202, JobSchema, description="The job is queued; poll it for progress.")
    @blp.alt_response(
        200,
        schema=JobSchema,
        description="A job of this kind is already queued or running for the event: "
        "that job is returned and no new one is started.",
    )
    @blp.alt_response(503, description="The job queue (broker) is unreachable.")
    def post(self, data: dict[str, Any], event_id: int) -> Any:
        """Start a solver job (organiser of the event); one active job per event and kind."""
        event = get_managed_event(event_id)
        job, created = start_job(event, data["kind"], data["params"])
        if created:
            return job
        return job, 200


@blp.route("/<int:job_id>")
class JobByIdViews(MethodView):
    @event_manager_required
    @blp.response(200, JobSchema)
    def get(self, event_id: int, job_id: int) -> Job:
        """A job's status, progress, result summary or error."""
        return get_job(get_managed_event(event_id), job_id)

    @event_manager_required
    @blp.response(
        202,
        JobSchema,
        description="Cancelled (a queued job), or asked to stop (a running job stops "
        "within a second or two; poll until its status is cancelled).",
    )
    @blp.alt_response(409, description="The job has already finished.")
    def delete(self, event_id: int, job_id: int) -> Job:
        """Cancel a job (organiser of the event)."""
        return cancel_job(get_job(get_managed_event(event_id), job_id))
