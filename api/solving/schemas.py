from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from api.models.jobs import JOB_KINDS, JOB_STATUSES


def _meeting_target(value: Any) -> None:
    def whole(number: Any) -> bool:
        return isinstance(number, int) and not isinstance(number, bool) and number >= 0

    if whole(value):
        return
    if isinstance(value, dict) and all(isinstance(k, str) and whole(v) for k, v in value.items()):
        return
    raise ValidationError("A whole number >= 0, or a mapping from group to such numbers.")


class JobParamsSchema(Schema):
    """Solver options; a missing time limit means the server's default."""

    time_limit = fields.Float(
        validate=validate.Range(min=1, max=3600),
        metadata={
            "description": "Seconds the solver may search; capped below the worker's "
            "task time limit (the stored value is the one applied)."
        },
    )
    workers = fields.Integer(
        validate=validate.Range(min=1, max=16), metadata={"description": "CP-SAT workers"}
    )
    fairness = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=0),
        metadata={"description": "meetings: max - min breaks per participant (null: none)"},
    )
    min_meetings = fields.Raw(
        validate=_meeting_target,
        metadata={"description": "automatch: a number, or a mapping from group to number"},
    )
    max_meetings = fields.Raw(
        validate=_meeting_target,
        metadata={"description": "automatch: a number, or a mapping from group to number"},
    )
    candidates_per_participant = fields.Integer(
        validate=validate.Range(min=1, max=200),
        metadata={"description": "automatch: best candidates considered per participant"},
    )


class JobCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(JOB_KINDS))
    params = fields.Nested(JobParamsSchema, load_default=dict)


class JobSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    kind = fields.String()
    params = fields.Dict()
    status = fields.String(metadata={"enum": list(JOB_STATUSES)})
    progress = fields.Dict(
        metadata={
            "description": "While solving: best objective, bound and elapsed seconds "
            "(updated about once a second)."
        }
    )
    result = fields.Dict(metadata={"description": "The result summary once succeeded."})
    error = fields.String(metadata={"description": "Why the job failed, for people."})
    is_complete = fields.Function(
        lambda job: job.result.get("complete") if job.result else None,
        metadata={
            "description": "For a schedule job that succeeded: false when the result leaves "
            "meetings out (see result.unscheduled); null otherwise."
        },
    )
    is_cancel_requested = fields.Boolean()
    attempts = fields.Integer(
        metadata={"description": "Runs started; more than one means a worker was lost."}
    )
    created_dt = fields.AwareDateTime()
    started_dt = fields.AwareDateTime(allow_none=True)
    finished_dt = fields.AwareDateTime(allow_none=True)


class JobQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(JOB_KINDS))
    status = fields.String(validate=validate.OneOf(JOB_STATUSES))
