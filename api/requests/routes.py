from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters

from api.exceptions import Forbidden, InvalidInput
from api.extensions import db
from api.http.guards import (
    event_manager_required,
    event_member_required,
    get_managed_event,
    get_member_event,
)
from api.http.pagination import paginate
from api.http.principal import current_participant, organiser_may
from api.models import Event, MeetingRequest, Participant
from api.requests.answers import decline_with_message
from api.requests.operations import (
    accept_request,
    cancel_request,
    confirm_proposals,
    create_request,
    expire_requests,
    get_request,
    requests_query,
)
from api.requests.schemas import (
    ConfirmProposalsResultSchema,
    ConfirmProposalsSchema,
    DeclineSchema,
    MeetingRequestQueryArgsSchema,
    MeetingRequestSchema,
)

blp = Blueprint(
    "meeting-requests",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/meeting-requests",
    description="Meeting requests: ask, accept, decline, cancel; auto-match proposals",
)


def _event(event_id: int, *, managed: bool = False) -> Event:
    """The event, with its overdue pending requests expired first, before a change.

    Reads do not come here: they show overdue requests as expired without writing.
    """
    event = get_managed_event(event_id) if managed else get_member_event(event_id)
    if expire_requests(event):
        db.session.commit()
    return event


def _viewer(event: Event) -> Participant | None:
    """The calling participant, or None for the event's organiser (who sees everything)."""
    return None if organiser_may(event) else current_participant()


def _requester(event: Event, data: dict[str, Any]) -> Participant:
    participant = current_participant()
    if participant is not None:
        if data.get("requester_id", participant.id) != participant.id:
            raise Forbidden("Participants request meetings for themselves only")
        if data.get("accept_now") is False:
            raise InvalidInput({"accept_now": ["Only the organiser may set this."]})
        return participant
    if "requester_id" not in data:
        raise InvalidInput({"requester_id": ["Required when the organiser creates a request."]})
    requester = db.session.get(Participant, data["requester_id"])
    if requester is None:
        raise InvalidInput({"requester_id": ["No such participant in this event."]})
    if requester.event_id != event.id:
        raise InvalidInput({"requester_id": ["This participant belongs to another event."]})
    return requester


@blp.route("")
class MeetingRequestViews(MethodView):
    @event_member_required
    @blp.arguments(MeetingRequestQueryArgsSchema, location="query")
    @blp.response(200, MeetingRequestSchema(many=True))
    @blp.paginate()
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """List requests: a participant sees those they sent or received, the organiser all.

        `direction` (sent/received) is relative to the calling participant, or to
        `participant_id` when given. Auto-match proposals reach participants only once
        the organiser confirmed them.
        """
        event = get_member_event(event_id)
        return paginate(requests_query(event, _viewer(event), args), pagination_parameters)

    @event_member_required
    @blp.arguments(MeetingRequestSchema)
    @blp.response(201, MeetingRequestSchema)
    @blp.alt_response(
        200,
        schema=MeetingRequestSchema,
        description="The invitee had already "
        "asked the caller: their pending request is accepted and returned",
    )
    @blp.alt_response(409, description="Duplicate open request, cap reached, deadline passed")
    def post(self, data: dict[str, Any], event_id: int) -> Any:
        """Request a meeting with a message (a participant), or arrange one (the organiser).

        Refused: oneself, a participant of another event, a hidden or unknown one, a
        pair the organiser's rules exclude (all 422, naming the field); a second open
        request for the same pair in either direction, more pending requests than the
        event allows, after the request deadline, after the invitee declined (409).
        The organiser's requests (origin `organiser`) are accepted at once unless
        `accept_now` is false; an event with auto-accept accepts every request. An
        accepted request is a meeting for the meeting scheduler.
        """
        event = _event(event_id)
        requester = _requester(event, data)
        by_organiser = current_participant() is None
        request, is_new = create_request(
            event,
            requester,
            data["invitee_id"],
            data["message"],
            by_organiser=by_organiser,
            accept_now=data["accept_now"],
        )
        db.session.commit()
        return request if is_new else (request, 200)


@blp.route("/<int:request_id>")
class MeetingRequestByIdViews(MethodView):
    @event_member_required
    @blp.response(200, MeetingRequestSchema)
    def get(self, event_id: int, request_id: int) -> MeetingRequest:
        """One request (its two participants and the organiser)."""
        event = get_member_event(event_id)
        return get_request(event, request_id, _viewer(event))


def _answer(event_id: int, request_id: int) -> tuple[Event, MeetingRequest, Participant | None]:
    event = _event(event_id)
    viewer = _viewer(event)
    return event, get_request(event, request_id, viewer), viewer


@blp.route("/<int:request_id>/accept")
class MeetingRequestAcceptViews(MethodView):
    @event_member_required
    @blp.response(200, MeetingRequestSchema)
    @blp.alt_response(409, description="Not pending any more (answered, cancelled, expired)")
    def post(self, event_id: int, request_id: int) -> MeetingRequest:
        """Accept a pending request (the invitee): it becomes a meeting to schedule."""
        event, request, viewer = _answer(event_id, request_id)
        accept_request(event, request, viewer)
        db.session.commit()
        return request


@blp.route("/<int:request_id>/decline")
class MeetingRequestDeclineViews(MethodView):
    @event_member_required
    @blp.arguments(DeclineSchema, required=False)
    @blp.response(200, MeetingRequestSchema)
    @blp.alt_response(409, description="Not pending any more (answered, cancelled, expired)")
    def post(self, data: dict[str, Any], event_id: int, request_id: int) -> MeetingRequest:
        """Decline a pending request (the invitee), optionally with a word to the
        requester; the pair is not recommended again."""
        _, request, viewer = _answer(event_id, request_id)
        decline_with_message(request, viewer, data.get("message", ""))
        db.session.commit()
        return request


@blp.route("/<int:request_id>/cancel")
class MeetingRequestCancelViews(MethodView):
    @event_member_required
    @blp.response(200, MeetingRequestSchema)
    @blp.alt_response(409, description="Already declined, cancelled or expired")
    def post(self, event_id: int, request_id: int) -> MeetingRequest:
        """Cancel a pending or accepted request (either side or the organiser).

        Cancelling an accepted request cancels its meeting.
        """
        _, request, viewer = _answer(event_id, request_id)
        cancel_request(request, viewer)
        db.session.commit()
        return request


@blp.route("/confirm-proposals")
class ConfirmProposalsViews(MethodView):
    @event_manager_required
    @blp.arguments(ConfirmProposalsSchema)
    @blp.response(200, ConfirmProposalsResultSchema)
    def post(self, data: dict[str, Any], event_id: int) -> dict[str, Any]:
        """Confirm auto-match proposals (the organiser): each becomes an accepted meeting.

        Without `ids`, every pending proposal is confirmed. A proposal whose pair got a
        request or meeting in the meantime is cancelled and listed in `skipped`.
        """
        event = _event(event_id, managed=True)
        confirmed, skipped = confirm_proposals(event, data["ids"])
        db.session.commit()
        return {"confirmed": confirmed, "skipped": skipped}
