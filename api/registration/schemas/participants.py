from __future__ import annotations

from datetime import time
from itertools import pairwise
from typing import Any

import pycountry
from marshmallow import Schema, ValidationError, fields, post_dump, validate, validates_schema

from api.http.validation import (
    MAX_LIST,
    SLUG_LIST_DOC,
    slug_list,
    validate_country,
    validate_not_blank,
    validate_timezone,
    validate_year,
)
from api.i18n import LANGUAGES
from api.models.enums import OPTIONAL_KINDS, Attendance, MembershipStatus, values
from api.models.participants import ATTENDANCE_MODES
from api.registration.schemas.organisations import OrganisationSchema

MUTABLE_KINDS = [*sorted(k.value for k in OPTIONAL_KINDS), "*"]


def _validate_language(value: str) -> None:
    if pycountry.languages.get(alpha_2=value) is None:
        raise ValidationError(f"Not an ISO 639-1 language code: {value!r}.")


def _tag_slugs(participant: Any) -> list[str]:
    return [tag.slug for tag in participant.interests]


class OrganisationSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    type = fields.String()
    country = fields.String()
    region = fields.String()


class ParticipantPublicSchema(Schema):
    """What other participants of the same event may see."""

    id = fields.Integer(dump_only=True)
    event_id = fields.Integer(dump_only=True)
    first_name = fields.String(
        required=True, validate=[validate.Length(1, 100), validate_not_blank]
    )
    last_name = fields.String(required=True, validate=[validate.Length(1, 100), validate_not_blank])
    role = fields.String(load_default="", validate=validate.Length(max=120))
    attendance = fields.String(
        load_default=Attendance.ON_SITE.value, validate=validate.OneOf(ATTENDANCE_MODES)
    )
    languages = fields.List(
        fields.String(validate=_validate_language),
        load_default=list,
        validate=validate.Length(max=20),
    )
    group = fields.String(load_default="", validate=validate.Length(max=40))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    interests = fields.Function(
        _tag_slugs,
        deserialize=slug_list,
        load_default=list,
        metadata={"description": "Tag slugs of the event taxonomy", **SLUG_LIST_DOC},
    )
    organisation = fields.Nested(OrganisationSummarySchema, dump_only=True)
    membership = fields.String(
        dump_only=True,
        validate=validate.OneOf(values(MembershipStatus)),
        metadata={
            "description": "pending: joined an existing organisation, awaiting approval by "
            "a colleague or the organiser"
        },
    )


PRIVATE_FIELDS = (
    "email",
    "timezone",
    "working_hours_start",
    "working_hours_end",
    "is_public",
    "language",
    "muted_notifications",
    "created_dt",
)


class ParticipantSchema(ParticipantPublicSchema):
    """A participant; the private fields are shown only to themself and the organiser."""

    email = fields.Email(
        required=True, validate=validate.Length(max=254), metadata={"description": "Private"}
    )
    timezone = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate_timezone,
        metadata={"description": "Private; defaults to the event's time zone"},
    )
    working_hours_start = fields.Time(
        format="%H:%M",
        load_default=time(9, 0),
        metadata={"description": "Private; in the participant's own zone (default 09:00)"},
    )
    working_hours_end = fields.Time(
        format="%H:%M",
        load_default=time(18, 0),
        metadata={"description": "Private; in the participant's own zone (default 18:00)"},
    )
    is_public = fields.Boolean(load_default=True, metadata={"description": "Private"})
    language = fields.String(
        validate=validate.OneOf(sorted(LANGUAGES)),
        metadata={"description": "Private; the language of their mail (default en)"},
    )
    muted_notifications = fields.List(
        fields.String(validate=validate.OneOf(MUTABLE_KINDS)),
        validate=validate.Length(max=len(MUTABLE_KINDS)),
        metadata={"description": "Private; kinds of mail turned off, '*' for all optional"},
    )
    created_dt = fields.AwareDateTime(dump_only=True, metadata={"description": "Private"})

    @validates_schema
    def _check_working_hours(self, data: dict[str, Any], **_kwargs: Any) -> None:
        start, end = data.get("working_hours_start"), data.get("working_hours_end")
        if start is not None and end is not None and end <= start:
            raise ValidationError("Working hours must end after they start.", "working_hours_end")

    @post_dump(pass_original=True)
    def _hide_private_fields(self, data: dict[str, Any], original: Any, **_: Any) -> Any:
        from api.http.principal import sees_private_profile

        if not sees_private_profile(original):
            for name in PRIVATE_FIELDS:
                data.pop(name, None)
        return data


class RegistrationSchema(ParticipantSchema):
    """Registration: a participant with their organisation (new or existing)."""

    consent = fields.Boolean(
        required=True,
        load_only=True,
        metadata={"description": "Consent to processing the profile for matchmaking"},
    )
    organisation = fields.Nested(OrganisationSchema)
    organisation_id = fields.Integer(load_only=True)

    @validates_schema(skip_on_field_errors=False)
    def _check(self, data: dict[str, Any], **_kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        if data.get("consent") is False:
            errors["consent"] = ["Consent is required to register."]
        has_org = "organisation" in data
        if has_org == ("organisation_id" in data):
            errors["organisation"] = ["Give either organisation or organisation_id."]
        if errors:
            raise ValidationError(errors)


class RegistrationResultSchema(ParticipantSchema):
    access_token = fields.String(
        dump_only=True, metadata={"description": "Shown once; send it as a Bearer token"}
    )


class RegistrationReceivedSchema(Schema):
    message = fields.String(
        dump_only=True, metadata={"description": "The same for new and registered addresses"}
    )


class ParticipantPatchSchema(ParticipantSchema):
    organisation_id = fields.Integer()


class ParticipantQueryArgsSchema(Schema):
    country = fields.String(validate=validate_country)
    organisation_type = fields.String()
    organisation_id = fields.Integer()
    interest = fields.String(metadata={"description": "A tag slug"})
    attendance = fields.String(validate=validate.OneOf(ATTENDANCE_MODES))
    group = fields.String()
    q = fields.String(validate=validate.Length(max=100))


class AvailabilityWindowSchema(Schema):
    start_dt = fields.AwareDateTime(required=True, validate=validate_year)
    end_dt = fields.AwareDateTime(required=True, validate=validate_year)

    @validates_schema
    def _check(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["end_dt"] <= data["start_dt"]:
            raise ValidationError({"end_dt": ["A window must end after it starts."]})


class AvailabilitySchema(Schema):
    windows = fields.List(
        fields.Nested(AvailabilityWindowSchema),
        required=True,
        validate=validate.Length(max=MAX_LIST),
    )

    @validates_schema(skip_on_field_errors=True)
    def _check_overlaps(self, data: dict[str, Any], **_kwargs: Any) -> None:
        ordered = sorted(data["windows"], key=lambda window: window["start_dt"])
        for before, after in pairwise(ordered):
            if after["start_dt"] < before["end_dt"]:
                raise ValidationError({"windows": ["Windows may not overlap; join them into one."]})


class ImportArgsSchema(Schema):
    create_tags = fields.Boolean(
        load_default=False,
        metadata={"description": "Create the tags the event does not have yet"},
    )


class ImportResultSchema(Schema):
    created = fields.Integer()
    participants = fields.List(fields.Dict())
    tags_created = fields.List(fields.String(), metadata={"description": "Their slugs"})
    file = fields.Dict(metadata={"description": "How the file was read"})
