from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.models.schedule_versions import SCHEDULE_KINDS, SCHEDULE_STATUSES


class ScheduleVersionSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    number = fields.Integer()
    status = fields.String()
    job_id = fields.Integer(allow_none=True)
    summary = fields.Dict()
    diff = fields.Dict(metadata={"description": "new, moved, cancelled ids vs the previous"})
    created_dt = fields.AwareDateTime()
    published_dt = fields.AwareDateTime(allow_none=True)


class ScheduleVersionQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(SCHEDULE_KINDS))
    status = fields.String(validate=validate.OneOf(SCHEDULE_STATUSES))


class PersonSchema(Schema):
    id = fields.Integer(
        allow_none=True,
        metadata={"description": "null for a participant who left (erased); the name says so"},
    )
    name = fields.String()
    organisation = fields.String()
    country = fields.String()


class MeetingPlacementSchema(Schema):
    meeting_id = fields.Integer()
    slot = fields.Integer()
    start_dt = fields.AwareDateTime()
    end_dt = fields.AwareDateTime()
    table_id = fields.Integer(allow_none=True)
    table = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    participants = fields.List(fields.Nested(PersonSchema))


class SessionPlacementSchema(Schema):
    session_id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    room_id = fields.Integer()
    room = fields.String()
    start_dt = fields.AwareDateTime()
    end_dt = fields.AwareDateTime()


class PersonalItemSchema(Schema):
    kind = fields.String(metadata={"description": "meeting or session"})
    start_dt = fields.AwareDateTime(metadata={"description": "In the participant's zone"})
    end_dt = fields.AwareDateTime(metadata={"description": "In the participant's zone"})
    title = fields.String()
    where = fields.String(metadata={"description": "Table, room or video link"})
    is_online = fields.Boolean(metadata={"description": "Meetings: held online"})
    online_url = fields.String(allow_none=True, metadata={"description": "Meetings: video link"})
    table = fields.String(allow_none=True, metadata={"description": "Meetings: table or booth"})
    meeting_id = fields.Integer(allow_none=True)
    session_id = fields.Integer(allow_none=True)
    partner = fields.Nested(PersonSchema, allow_none=True)
    partner_timezone = fields.String(metadata={"description": "Meetings: the partner's zone"})
    partner_start_dt = fields.AwareDateTime(
        metadata={"description": "Meetings: the start in the partner's zone"}
    )
    partner_end_dt = fields.AwareDateTime(
        metadata={"description": "Meetings: the end in the partner's zone"}
    )


class PersonalScheduleSchema(Schema):
    participant_id = fields.Integer()
    timezone = fields.String()
    items = fields.List(fields.Nested(PersonalItemSchema))
