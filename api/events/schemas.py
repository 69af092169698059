from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.http.validation import (
    MAX_LIST,
    MAX_LONG_TEXT,
    validate_country,
    validate_slug,
    validate_timezone,
    validate_year,
)
from api.models.enums import OnlinePolicy, values
from api.models.events import EVENT_KINDS
from api.models.organisations import ORGANISATION_TYPES
from matchmaking.rules import is_builtin_country_set


class MeetingBlockSchema(Schema):
    day = fields.Date(required=True, validate=validate_year)
    start = fields.Time(required=True, attribute="start_time")
    end = fields.Time(required=True, attribute="end_time")


VIDEO_LINK_FIELDS = ("event_slug", "event_id", "meeting_id", "meeting_secret")


def validate_video_link_template(value: str) -> None:
    """A link template may use only the known fields and must make an https link."""
    try:
        sample = value.format(**{name: "x" for name in VIDEO_LINK_FIELDS})
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(
            "Use only {event_slug}, {event_id}, {meeting_id} and {meeting_secret}."
        ) from exc
    if not sample.startswith("https://"):
        raise ValidationError("The link must start with https://.")


class VirtualRoomSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    url = fields.Url(required=True, schemes={"https"}, validate=validate.Length(max=300))


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
    online_policy = fields.String(
        load_default=OnlinePolicy.EITHER_ONLINE.value,
        validate=validate.OneOf(values(OnlinePolicy)),
        metadata={
            "description": "either_online: online when either side attends online; "
            "all_online: every meeting online; on_site_only: every meeting at a table"
        },
    )
    video_link_template = fields.String(
        allow_none=True,
        load_default=None,
        validate=[validate.Length(max=300), validate_video_link_template],
        metadata={
            "description": "e.g. https://meet.example.org/{event_slug}-{meeting_secret}; "
            "{meeting_secret} is an unguessable per-meeting value"
        },
    )
    virtual_rooms = fields.List(
        fields.Nested(VirtualRoomSchema),
        load_default=list,
        load_only=True,
        validate=validate.Length(max=1000),
        metadata={
            "description": "The organiser's own video rooms, one online meeting per room "
            "and slot (used before the template); never shown publicly"
        },
    )
    virtual_room_count = fields.Function(
        lambda settings: len(settings.get("virtual_rooms") or []), dump_only=True
    )


_CLOCK = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Give a time as HH:MM.")


class BreakSchema(Schema):
    start = fields.String(required=True, validate=_CLOCK)
    end = fields.String(required=True, validate=_CLOCK)


class ProgrammeSettingsSchema(Schema):
    """The agenda's daily time grid in the event's zone (HH:MM; defaults 09:00-18:00, lunch
    13:00-14:00); sessions never start before day_start, end after day_end or touch a break."""

    slot_minutes = fields.Integer(
        load_default=15,
        validate=validate.OneOf((5, 10, 15, 20, 30)),
        metadata={"description": "Sessions start on this grid and last whole slots"},
    )
    day_start = fields.String(load_default="09:00", validate=_CLOCK)
    day_end = fields.String(load_default="18:00", validate=_CLOCK)
    breaks = fields.List(
        fields.Nested(BreakSchema),
        load_default=lambda: [{"start": "13:00", "end": "14:00"}],
        validate=validate.Length(max=20),
    )

    @validates_schema
    def _check(self, data: dict[str, Any], **_kwargs: Any) -> None:
        # HH:MM strings compare in time order.
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and end <= start:
            raise ValidationError("The day must end after it starts.", "day_end")
        for i, pause in enumerate(data.get("breaks") or []):
            if pause["end"] <= pause["start"]:
                raise ValidationError(f"Break {i} must end after it starts.", "breaks")


_type_pair = fields.List(
    fields.String(validate=validate.OneOf(ORGANISATION_TYPES)), validate=validate.Length(2, 2)
)
_group_pair = fields.List(
    fields.String(validate=validate.Length(1, 40)), validate=validate.Length(2, 2)
)
_set_name = fields.String(validate=[validate.Length(1, 40), validate.Regexp(r"^[A-Za-z][\w-]*$")])


class MatchmakingRulesSchema(Schema):
    cross_border_only = fields.Boolean(
        load_default=False,
        metadata={"description": "Only organisations from different countries meet"},
    )
    allowed_type_pairs = fields.List(
        _type_pair, allow_none=True, load_default=None, validate=validate.Length(max=MAX_LIST)
    )
    allowed_group_pairs = fields.List(
        _group_pair, allow_none=True, load_default=None, validate=validate.Length(max=MAX_LIST)
    )
    country_sets = fields.Dict(
        keys=_set_name,
        values=fields.List(
            fields.String(validate=validate_country), validate=validate.Length(1, 300)
        ),
        load_default=dict,
        validate=validate.Length(max=50),
        metadata={"description": 'Named sets of ISO countries, e.g. {"SMED": ["MA", "TN"]}'},
    )
    allowed_country_set_pairs = fields.List(
        fields.List(_set_name, validate=validate.Length(2, 2)),
        allow_none=True,
        load_default=None,
        metadata={
            "description": 'Pairs of country sets that may meet, e.g. [["EU", "TW"]]; '
            "EU and every ISO code are sets already"
        },
    )

    @validates_schema
    def _check_sets(self, data: dict[str, Any], **_kwargs: Any) -> None:
        known = set(data.get("country_sets") or {})
        unknown = sorted(
            {
                name
                for pair in data.get("allowed_country_set_pairs") or []
                for name in pair
                if name not in known and not is_builtin_country_set(name)
            }
        )
        if unknown:
            raise ValidationError(
                f"Unknown country sets {unknown}: define them in country_sets "
                "(EU and ISO country codes are built in).",
                "allowed_country_set_pairs",
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
    programme_settings = fields.Nested(
        ProgrammeSettingsSchema, load_default=lambda: ProgrammeSettingsSchema().load({})
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
