from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.models.meetings import MEETING_STATUSES


class MeetingSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": list(MEETING_STATUSES)})
    participant_a_id = fields.Integer(
        allow_none=True, metadata={"description": "null once that participant was erased"}
    )
    participant_b_id = fields.Integer(
        allow_none=True, metadata={"description": "null once that participant was erased"}
    )
    participant_a = fields.String()
    participant_b = fields.String()
    organisation_a = fields.String()
    organisation_b = fields.String()
    is_online = fields.Boolean()
    is_pinned = fields.Boolean()
    slot = fields.Integer(allow_none=True)
    start_dt = fields.AwareDateTime(allow_none=True)
    end_dt = fields.AwareDateTime(allow_none=True)
    table_id = fields.Integer(allow_none=True)
    table = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    feedback_a = fields.String()
    feedback_b = fields.String()


class MeetingQueryArgsSchema(Schema):
    participant_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(MEETING_STATUSES))


class FeedbackSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(1, 2000))


class ResolveSchema(Schema):
    time_limit = fields.Float(validate=validate.Range(1, 3600))
