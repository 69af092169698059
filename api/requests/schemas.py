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


def _meeting_id(request: Any) -> int | None:
    from api.requests.operations import meeting_of

    meeting = meeting_of(request)
    return meeting.id if meeting is not None else None


class MeetingRequestSchema(Schema):
    id = fields.Integer(dump_only=True)
    event_id = fields.Integer(dump_only=True)
    requester_id = fields.Integer(
        metadata={"description": "Defaults to the calling participant; organisers must give it"}
    )
    invitee_id = fields.Integer(required=True)
    message = fields.String(load_default="", validate=validate.Length(max=2000))
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
    status = fields.String(dump_only=True, metadata={"enum": list(REQUEST_STATUSES)})
    origin = fields.String(dump_only=True, metadata={"enum": list(REQUEST_ORIGINS)})
    score = fields.Float(
        dump_only=True, allow_none=True, metadata={"description": "Auto-match score"}
    )
    created_dt = fields.AwareDateTime(dump_only=True)
    answered_dt = fields.AwareDateTime(dump_only=True, allow_none=True)
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
