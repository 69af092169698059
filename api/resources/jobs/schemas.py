from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.models.jobs import JOB_KINDS, JOB_STATUSES


class JobParamsSchema(Schema):
    """Solver options; a missing time limit means the server's default."""

    time_limit = fields.Float(
        validate=validate.Range(min=1, max=3600),
        metadata={
            "description": "Seconds the solver may search; capped below the worker's "
            "task time limit (the stored value is the one applied)."
        },
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
