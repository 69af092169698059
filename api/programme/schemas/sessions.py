from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.http.validation import MAX_LIST, MAX_LONG_TEXT, validate_year
from api.models import Session
from api.models.rooms import ROOM_FEATURES
from api.models.session_speakers import SPEAKER_ROLES
from api.models.sessions import SESSION_KINDS
from api.programme.operations import session_end


def _end_dt(session: Session) -> str | None:
    end = session_end(session)
    return end.isoformat() if end else None


class SpeakerSchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = fields.Integer(
        allow_none=True,
        load_default=None,
        strict=True,
        metadata={"description": "A participant of the same event, if the speaker is one"},
    )
    name = fields.String(
        validate=validate.Length(1, 200),
        metadata={"description": "Defaults to the participant's name"},
    )
    role = fields.String(load_default="speaker", validate=validate.OneOf(SPEAKER_ROLES))

    @validates_schema
    def _check_name(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("participant_id") is None and not data.get("name"):
            raise ValidationError("A speaker who is not a participant needs a name.", "name")


class SessionSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(1, 250))
    kind = fields.String(required=True, validate=validate.OneOf(SESSION_KINDS))
    description = fields.String(load_default="", validate=validate.Length(max=MAX_LONG_TEXT))
    theme = fields.String(
        load_default="",
        validate=validate.Length(max=80),
        metadata={"description": "Track or theme; sessions of one theme are kept apart"},
    )
    length_min = fields.Integer(required=True, strict=True, validate=validate.Range(5, 600))
    required_features = fields.List(
        fields.String(validate=validate.OneOf(ROOM_FEATURES)),
        load_default=list,
        validate=validate.Length(max=len(ROOM_FEATURES) * 2),
    )
    speakers = fields.List(
        fields.Nested(SpeakerSchema), load_default=list, validate=validate.Length(max=MAX_LIST)
    )
    room_id = fields.Integer(allow_none=True, load_default=None, strict=True)
    start_dt = fields.AwareDateTime(
        validate=validate_year,
        allow_none=True,
        load_default=None,
        metadata={"description": "Within the event's days, in any time zone"},
    )
    end_dt = fields.Function(
        _end_dt,
        dump_only=True,
        metadata={"type": "string", "format": "date-time", "description": "Start plus length"},
    )
    is_pinned = fields.Boolean(
        load_default=False, metadata={"description": "The agenda solver keeps it in place"}
    )
    attendees = fields.Integer(
        dump_only=True, metadata={"description": "Attend sign-ups: the expected audience"}
    )
    interested = fields.Integer(dump_only=True, metadata={"description": "Interest sign-ups"})


class SessionQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(SESSION_KINDS))
    theme = fields.String(validate=validate.Length(max=80))
    room_id = fields.Integer()
    day = fields.Date(
        validate=validate_year,
        metadata={"description": "Sessions starting on this day of the event"},
    )
    q = fields.String(validate=validate.Length(max=100))
