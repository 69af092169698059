from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.http.validation import (
    MAX_LIST,
    MAX_LONG_TEXT,
    validate_slug,
    validate_timezone,
    validate_year,
)
from api.models.events import EVENT_KINDS
from api.models.organisations import ORGANISATION_TYPES


class MeetingBlockSchema(Schema):
    day = fields.Date(required=True, validate=validate_year)
    start = fields.Time(required=True, attribute="start_time")
    end = fields.Time(required=True, attribute="end_time")


class MeetingSettingsSchema(Schema):
    meeting_length_min = fields.Integer(load_default=30, validate=validate.Range(5, 240))
    blocks = fields.List(
        fields.Nested(MeetingBlockSchema), load_default=list, validate=validate.Length(max=MAX_LIST)
    )
    max_meetings_per_participant = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=1)
    )
    max_open_requests = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=1)
    )
    request_expiry_hours = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=1)
    )
    is_online_allowed = fields.Boolean(load_default=True)
    is_auto_accept = fields.Boolean(load_default=False)
    fairness = fields.Integer(allow_none=True, load_default=2, validate=validate.Range(min=0))


_type_pair = fields.List(
    fields.String(validate=validate.OneOf(ORGANISATION_TYPES)), validate=validate.Length(2, 2)
)
_group_pair = fields.List(
    fields.String(validate=validate.Length(1, 40)), validate=validate.Length(2, 2)
)


class MatchmakingRulesSchema(Schema):
    cross_border_only = fields.Boolean(load_default=False)
    allowed_type_pairs = fields.List(
        _type_pair, allow_none=True, load_default=None, validate=validate.Length(max=MAX_LIST)
    )
    allowed_group_pairs = fields.List(
        _group_pair, allow_none=True, load_default=None, validate=validate.Length(max=MAX_LIST)
    )


class EventSchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(required=True, validate=[validate.Length(2, 80), validate_slug])
    name = fields.String(required=True, validate=validate.Length(1, 200))
    kind = fields.String(load_default="matchmaking", validate=validate.OneOf(EVENT_KINDS))
    venue = fields.String(load_default="", validate=validate.Length(max=200))
    description = fields.String(load_default="", validate=validate.Length(max=MAX_LONG_TEXT))
    timezone = fields.String(required=True, validate=validate_timezone)
    start_date = fields.Date(required=True, validate=validate_year)
    end_date = fields.Date(required=True, validate=validate_year)
    registration_opens_dt = fields.AwareDateTime(
        allow_none=True, load_default=None, validate=validate_year
    )
    registration_closes_dt = fields.AwareDateTime(
        allow_none=True, load_default=None, validate=validate_year
    )
    request_deadline_dt = fields.AwareDateTime(
        allow_none=True, load_default=None, validate=validate_year
    )
    meeting_settings = fields.Nested(
        MeetingSettingsSchema, load_default=lambda: MeetingSettingsSchema().load({})
    )
    rules = fields.Nested(
        MatchmakingRulesSchema, load_default=lambda: MatchmakingRulesSchema().load({})
    )
    is_registration_open = fields.Function(
        lambda event: event.is_registration_open(), dump_only=True
    )

    @validates_schema(skip_on_field_errors=False)
    def _check_consistency(self, data: dict[str, Any], **_kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            errors.setdefault("end_date", []).append("The event cannot end before it starts.")
        if start and end and (end - start) > timedelta(days=31):
            errors.setdefault("end_date", []).append("An event lasts at most 31 days.")
        opens, closes = data.get("registration_opens_dt"), data.get("registration_closes_dt")
        if opens and closes and closes <= opens:
            errors.setdefault("registration_closes_dt", []).append(
                "Registration must close after it opens."
            )
        settings = data.get("meeting_settings") or {}
        length = settings.get("meeting_length_min") or 30
        for i, block in enumerate(settings.get("blocks") or []):
            if not isinstance(block, dict) or len(block) < 3:
                continue
            problems = _block_problems(block, start, end, length)
            if problems:
                errors.setdefault("meeting_settings.blocks", []).extend(
                    f"Block {i}: {p}" for p in problems
                )
        if errors:
            raise ValidationError(errors)


def _block_problems(block: dict[str, Any], start: Any, end: Any, length: int) -> list[str]:
    problems = []
    if start and end and not start <= block["day"] <= end:
        problems.append("its day is outside the event's days.")
    begin = datetime.combine(block["day"], block["start_time"])
    finish = datetime.combine(block["day"], block["end_time"])
    if finish <= begin:
        problems.append("it must end after it starts.")
    elif (finish - begin) < timedelta(minutes=length):
        problems.append(f"it is shorter than one meeting ({length} min).")
    return problems


class EventQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(EVENT_KINDS))
    mine = fields.Boolean(load_default=False)
    q = fields.String(validate=validate.Length(max=100))


class SlotSchema(Schema):
    index = fields.Integer()
    start_dt = fields.AwareDateTime()
    end_dt = fields.AwareDateTime()
    block = fields.Integer()
