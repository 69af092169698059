from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from api.models.meeting_requests import REQUEST_ORIGINS, REQUEST_STATUSES
from api.registration.schemas.participants import OrganisationSummarySchema


class RequestPartySchema(Schema):
    """One side of a meeting request: who they are and whom they represent."""

    id = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    organisation = fields.Nested(OrganisationSummarySchema)


def _status(request: Any) -> str:
    from api.requests.operations import shown_status

    return shown_status(request)


def _answered_dt(request: Any) -> Any:
    """Serialised like any AwareDateTime field; an overdue request shows its expiry."""
    from api.requests.operations import shown_answered_dt

    return _DATETIME.serialize("answered_dt", {"answered_dt": shown_answered_dt(request)})


def _meeting_id(request: Any) -> int | None:
    # The relationship is loaded for the whole page at once (it was a query per row).
    meeting = request.meeting
    return meeting.id if meeting is not None else None


_DATETIME = fields.AwareDateTime(allow_none=True)


class MeetingRequestSchema(Schema):
    id = fields.Integer(dump_only=True)
    event_id = fields.Integer(dump_only=True)
    requester_id = fields.Integer(
        metadata={"description": "Defaults to the calling participant; organisers must give it"}
    )
    invitee_id = fields.Integer(required=True)
    message = fields.String(load_default="", validate=validate.Length(max=2000))
    answer_message = fields.String(
        dump_only=True, metadata={"description": "The invitee's word when they declined"}
    )
    accept_now = fields.Boolean(
        load_only=True,
        load_default=True,
        metadata={
            "description": "Organisers only: false leaves the request pending for the "
            "invitee to answer instead of accepting it at once"
        },
    )
    requester = fields.Nested(RequestPartySchema, dump_only=True)
    invitee = fields.Nested(RequestPartySchema, dump_only=True)
    status = fields.Function(
        _status, dump_only=True, metadata={"type": "string", "enum": list(REQUEST_STATUSES)}
    )
    origin = fields.String(dump_only=True, metadata={"enum": list(REQUEST_ORIGINS)})
    score = fields.Float(
        dump_only=True, allow_none=True, metadata={"description": "Auto-match score"}
    )
    created_dt = fields.AwareDateTime(dump_only=True)
    answered_dt = fields.Function(
        _answered_dt,
        dump_only=True,
        allow_none=True,
        metadata={"type": "string", "format": "date-time"},
    )
    expires_dt = fields.AwareDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "When a pending request expires unanswered"},
    )
    version = fields.Integer(dump_only=True)
    meeting_id = fields.Function(
        _meeting_id,
        dump_only=True,
        metadata={"description": "The meeting an accepted request created"},
    )


class MeetingRequestQueryArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(REQUEST_STATUSES))
    origin = fields.String(validate=validate.OneOf(REQUEST_ORIGINS))
    direction = fields.String(
        validate=validate.OneOf(("sent", "received")),
        metadata={"description": "Relative to the caller, or to participant_id if given"},
    )
    participant_id = fields.Integer(
        metadata={"description": "Requests sent or received by this participant"}
    )


class ConfirmProposalsSchema(Schema):
    ids = fields.List(
        fields.Integer(),
        validate=validate.Length(max=10_000),
        allow_none=True,
        load_default=None,
        metadata={"description": "Proposals to confirm; omit to confirm every pending one"},
    )


class SkippedProposalSchema(Schema):
    id = fields.Integer()
    reason = fields.String()


class ConfirmProposalsResultSchema(Schema):
    confirmed = fields.List(fields.Nested(MeetingRequestSchema))
    skipped = fields.List(fields.Nested(SkippedProposalSchema))


class DeclineSchema(Schema):
    message = fields.String(
        load_default="",
        validate=validate.Length(max=500),
        metadata={"description": "A word to the requester, shown to them (optional)"},
    )
