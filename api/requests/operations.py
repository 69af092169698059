"""Meeting requests: who may ask whom, answers that stay right under races, expiry.

Every transition is one conditional UPDATE on (id, status, version): of two answers
racing for one request exactly one matches the row, the other sees the outcome and gets
a 409. An accepted request creates exactly one meeting (``meetings.request_id`` is
unique), and that meeting is what the meeting scheduler places.

Pending auto-match proposals are the organiser's drafts: participants neither see nor
answer them until the organiser confirms them, and they block nobody's requests.

Each change is announced to the event's webhooks in the same transaction
(``meeting.requested``, ``meeting.accepted``, ``meeting.declined``, and
``meeting.cancelled`` when cancelling an accepted request cancels its meeting): if the
change rolls back, nothing is sent. Drafts are not announced until confirmed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select, update

import api.signals as signals
from api.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from api.extensions import db
from api.models import Event, Meeting, MeetingRequest, Participant
from api.models.enums import MeetingStatus, RequestOrigin, RequestStatus, WebhookKind
from api.models.types import now_utc
from api.webhooks.operations import queue_event
from matchmaking.rules import MatchingRules, PairSide

OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)
PROPOSAL = RequestOrigin.AUTO_MATCH

_CLOSED_MESSAGES: dict[str, str] = {
    RequestStatus.ACCEPTED: "This request has already been accepted.",
    RequestStatus.DECLINED: "This request was declined; it can no longer be answered.",
    RequestStatus.CANCELLED: "This request was cancelled; it can no longer be answered.",
    RequestStatus.EXPIRED: "This request expired without an answer; send a new one.",
}


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _pair(a: int, b: int) -> ColumnElement[bool]:
    return or_(
        and_(MeetingRequest.requester_id == a, MeetingRequest.invitee_id == b),
        and_(MeetingRequest.requester_id == b, MeetingRequest.invitee_id == a),
    )


def _is_draft() -> ColumnElement[bool]:
    return and_(MeetingRequest.origin == PROPOSAL, MeetingRequest.status == RequestStatus.PENDING)


def expire_requests(event: Event, now: datetime | None = None) -> int:
    """Mark the event's pending requests past their expiry as expired; returns how many."""
    now = now or now_utc()
    result = db.session.execute(
        update(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status == RequestStatus.PENDING,
            MeetingRequest.expires_dt.is_not(None),
            MeetingRequest.expires_dt <= now,
        )
        .values(status=RequestStatus.EXPIRED, answered_dt=now, version=MeetingRequest.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# --- reading -------------------------------------------------------------------------
# Reads never write: a pending request past its expiry reads as expired at once, and
# ``expire_requests`` (before any change, and ``clustermeet requests expire``) stores it.


def is_overdue(request: MeetingRequest, now: datetime | None = None) -> bool:
    return (
        request.status == RequestStatus.PENDING
        and request.expires_dt is not None
        and request.expires_dt <= (now or now_utc())
    )


def shown_status(request: MeetingRequest, now: datetime | None = None) -> str:
    """The status a reader sees (``expired`` for an overdue pending request)."""
    return RequestStatus.EXPIRED if is_overdue(request, now) else request.status


def shown_answered_dt(request: MeetingRequest, now: datetime | None = None) -> datetime | None:
    """When the request was answered; an overdue one was "answered" by its expiry."""
    return request.expires_dt if is_overdue(request, now) else request.answered_dt


def _shown_status_column(now: datetime) -> ColumnElement[str]:
    overdue = and_(
        MeetingRequest.status == RequestStatus.PENDING,
        MeetingRequest.expires_dt.is_not(None),
        MeetingRequest.expires_dt <= now,
    )
    return case((overdue, RequestStatus.EXPIRED.value), else_=MeetingRequest.status)


def visible_to_participant(participant_id: int) -> ColumnElement[bool]:
    """Requests a participant sees: their own, auto-match ones once the organiser confirmed."""
    confirmed = exists().where(Meeting.request_id == MeetingRequest.id)
    return and_(
        or_(
            MeetingRequest.requester_id == participant_id,
            MeetingRequest.invitee_id == participant_id,
        ),
        or_(MeetingRequest.origin != PROPOSAL, confirmed),
    )


def requests_query(event: Event, viewer: Participant | None, args: dict[str, Any]) -> Select[Any]:
    """The event's requests the viewer may see (``None``: the organiser), filtered."""
    query = (
        select(MeetingRequest)
        .where(MeetingRequest.event_id == event.id)
        .order_by(MeetingRequest.created_dt.desc(), MeetingRequest.id.desc())
    )
    if viewer is not None:
        query = query.where(visible_to_participant(viewer.id))
    subject = args.get("participant_id")
    if subject is None and viewer is not None:
        subject = viewer.id
    elif subject is not None:
        query = query.where(
            or_(MeetingRequest.requester_id == subject, MeetingRequest.invitee_id == subject)
        )
    direction = args.get("direction")
    if direction is not None:
        if subject is None:
            raise InvalidInput({"direction": ["Give participant_id to filter by direction."]})
        column = MeetingRequest.requester_id if direction == "sent" else MeetingRequest.invitee_id
        query = query.where(column == subject)
    if "status" in args:
        query = query.where(_shown_status_column(now_utc()) == args["status"])
    if "origin" in args:
        query = query.where(MeetingRequest.origin == args["origin"])
    return query


def get_request(event: Event, request_id: int, viewer: Participant | None) -> MeetingRequest:
    """One request; a participant gets a 404 for requests that are not theirs."""
    query = select(MeetingRequest).where(
        MeetingRequest.id == request_id, MeetingRequest.event_id == event.id
    )
    if viewer is not None:
        query = query.where(visible_to_participant(viewer.id))
    found: MeetingRequest | None = db.session.scalar(query)
    if found is None:
        raise NotFound("Meeting request not found")
    return found


def meeting_of(request: MeetingRequest) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.request_id == request.id))


# --- creating ------------------------------------------------------------------------


def _pair_side(participant: Participant) -> PairSide:
    organisation = participant.organisation
    return PairSide(
        participant_id=str(participant.id),
        organisation_id=str(organisation.id),
        organisation_type=organisation.type,
        country=organisation.country,
        group=participant.group or None,
    )


def pair_rule_problem(event: Event, a: Participant, b: Participant) -> str | None:
    """Why the organiser's rules forbid this pair, or None: matchmaking decides, the same
    rules that shape recommendations and auto-matching."""
    rules = MatchingRules.from_mapping(event.rules or {})
    return rules.pair_problem(_pair_side(a), _pair_side(b))


def _refuse_pending_members(*people: Participant) -> None:
    for person in people:
        if person.is_membership_pending:
            raise Conflict(
                f"{person.full_name}'s membership of {person.organisation.name} awaits "
                "approval by a colleague or the organiser."
            )


def _lock_participants(*ids: int) -> None:
    # Serialises concurrent requests touching the same people (caps, duplicates) on
    # PostgreSQL; SQLite serialises writers anyway. FOR NO KEY UPDATE: rows that merely
    # point at these people (mail, webhooks) still insert, so a decline that holds the
    # request row and writes its mail cannot deadlock with an accept holding the people.
    db.session.execute(
        select(Participant.id)
        .where(Participant.id.in_(sorted(ids)))
        .order_by(Participant.id)
        .with_for_update(key_share=True)
    )


def _invitee(
    event: Event, invitee_id: int, requester: Participant, by_organiser: bool
) -> Participant:
    invitee = db.session.get(Participant, invitee_id)
    if invitee is None or (not invitee.is_public and not by_organiser):
        raise InvalidInput({"invitee_id": ["No such participant in this event."]})
    if invitee.event_id != event.id:
        raise InvalidInput({"invitee_id": ["This participant belongs to another event."]})
    if invitee.id == requester.id:
        raise InvalidInput({"invitee_id": ["You cannot request a meeting with yourself."]})
    return invitee


def _open_between(event: Event, a: int, b: int) -> MeetingRequest | None:
    return db.session.scalar(
        select(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            _pair(a, b),
            MeetingRequest.status.in_(OPEN_STATUSES),
            ~_is_draft(),
        )
        .order_by(MeetingRequest.id)
        .limit(1)
    )


def _meeting_between(event: Event, a: int, b: int) -> Meeting | None:
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.event_id == event.id,
            Meeting.status != MeetingStatus.CANCELLED,
            or_(
                and_(Meeting.participant_a_id == a, Meeting.participant_b_id == b),
                and_(Meeting.participant_a_id == b, Meeting.participant_b_id == a),
            ),
        )
        .limit(1)
    )


def _live_meeting_count(event: Event, person: Participant) -> int:
    count = db.session.scalar(
        select(func.count())
        .select_from(Meeting)
        .where(
            Meeting.event_id == event.id,
            Meeting.status != MeetingStatus.CANCELLED,
            or_(Meeting.participant_a_id == person.id, Meeting.participant_b_id == person.id),
        )
    )
    return int(count or 0)


def _check_meeting_cap(event: Event, *people: Participant, adding: int = 1) -> None:
    """Refuse when a new meeting would take someone past the event's cap.

    Callers hold both participants' row locks (PostgreSQL), so no other transaction adds
    a meeting for them meanwhile. ``_add_meeting`` checks again after its INSERT: on
    SQLite the INSERT takes the database write lock, so that count sees every committed
    meeting and no other writer can add one before this transaction ends.
    """
    cap = event.max_meetings_per_participant
    if cap is None:
        return
    for person in people:
        if _live_meeting_count(event, person) + adding > cap:
            raise Conflict(
                f"{person.full_name} already has {cap} meetings, the most this event allows."
            )


def create_request(
    event: Event,
    requester: Participant,
    invitee_id: int,
    message: str = "",
    *,
    by_organiser: bool = False,
    accept_now: bool = True,
    now: datetime | None = None,
) -> tuple[MeetingRequest, bool]:
    """A new request, or the other side's pending one accepted; True when a row is new.

    A participant's request obeys the deadline, the organiser's rules, the cap on open
    requests and earlier declines; an organiser's request only the hard rules (not
    oneself, one open request per pair) and is accepted at once unless ``accept_now`` is
    false (a hosted-buyer programme arranges meetings; a suggestion waits for an answer).
    """
    now = now or now_utc()
    invitee = _invitee(event, invitee_id, requester, by_organiser)
    if not by_organiser and event.request_deadline_dt and now > event.request_deadline_dt:
        raise Conflict(
            f"The deadline for meeting requests passed on {_when(event.request_deadline_dt)}."
        )
    problem = pair_rule_problem(event, requester, invitee)
    if problem and (not by_organiser or requester.organisation_id == invitee.organisation_id):
        raise InvalidInput({"invitee_id": [problem]})
    if not by_organiser:
        _refuse_pending_members(requester, invitee)
    _lock_participants(requester.id, invitee.id)
    if _meeting_between(event, requester.id, invitee.id) is not None:
        raise Conflict(f"{requester.full_name} and {invitee.full_name} already have a meeting.")
    existing = _open_between(event, requester.id, invitee.id)
    if existing is not None:
        if (
            not by_organiser
            and existing.status == RequestStatus.PENDING
            and existing.requester_id == invitee.id
        ):
            # Both sides asked: the earlier request is accepted, that is the meeting.
            accept_request(event, existing, requester, now=now)
            return existing, False
        raise Conflict(
            f"There is already a {existing.status} request between {requester.full_name} "
            f"and {invitee.full_name} (#{existing.id})."
        )
    if not by_organiser:
        _check_not_declined(event, requester, invitee)
        _check_open_cap(event, requester)
    is_accepted = (by_organiser and accept_now) or event.is_auto_accept
    if is_accepted:
        _check_meeting_cap(event, requester, invitee)
    request = MeetingRequest(
        event_id=event.id,
        requester_id=requester.id,
        invitee_id=invitee.id,
        message=message,
        origin="organiser" if by_organiser else "participant",
        status=RequestStatus.ACCEPTED if is_accepted else RequestStatus.PENDING,
        created_dt=now,
        answered_dt=now if is_accepted else None,
        expires_dt=(
            now + timedelta(hours=event.request_expiry_hours)
            if event.request_expiry_hours and not is_accepted
            else None
        ),
        version=1,
    )
    db.session.add(request)
    db.session.flush()
    _announce(WebhookKind.MEETING_REQUESTED, request)
    if is_accepted:
        _announce(WebhookKind.MEETING_ACCEPTED, request, _add_meeting(request, event))
    else:
        signals.send(signals.request_created, request=request)
    return request, True


def _check_not_declined(event: Event, requester: Participant, invitee: Participant) -> None:
    declined = db.session.scalar(
        select(MeetingRequest.id).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.requester_id == requester.id,
            MeetingRequest.invitee_id == invitee.id,
            MeetingRequest.status == RequestStatus.DECLINED,
        )
    )
    if declined is not None:
        raise Conflict(f"{invitee.full_name} already declined a meeting request from you.")


def _check_open_cap(event: Event, requester: Participant) -> None:
    cap = event.max_open_requests
    if cap is None:
        return
    pending = db.session.scalar(
        select(func.count())
        .select_from(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.requester_id == requester.id,
            MeetingRequest.status == RequestStatus.PENDING,
            MeetingRequest.origin == "participant",
        )
    )
    if (pending or 0) >= cap:
        raise Conflict(
            f"You already have {cap} requests waiting for an answer, the most this event "
            "allows; wait for answers or cancel one."
        )


def _announce(kind: WebhookKind, request: MeetingRequest, meeting: Meeting | None = None) -> None:
    """Queue a webhook about ``request``: ids and statuses only, never names."""
    payload: dict[str, Any] = {
        "request_id": request.id,
        "requester_id": request.requester_id,
        "invitee_id": request.invitee_id,
        "origin": request.origin,
        "status": request.status,
    }
    if meeting is not None:
        payload["meeting_id"] = meeting.id
        payload["participant_ids"] = [meeting.participant_a_id, meeting.participant_b_id]
    queue_event(request.event_id, kind, payload)


def _add_meeting(request: MeetingRequest, event: Event | None = None) -> Meeting:
    """The request's meeting; with ``event``, checked against its cap after the INSERT."""
    meeting = Meeting(
        event_id=request.event_id,
        request_id=request.id,
        participant_a_id=request.requester_id,
        participant_b_id=request.invitee_id,
        status=MeetingStatus.ACCEPTED,
    )
    db.session.add(meeting)
    db.session.flush()
    if event is not None:
        _check_meeting_cap(event, request.requester, request.invitee, adding=0)
    return meeting


# --- answering -----------------------------------------------------------------------


def _transition(request: MeetingRequest, target: str, now: datetime) -> None:
    """Move ``request`` from the status and version it was read with, or raise 409."""
    seen_status, seen_version = request.status, request.version
    result = db.session.execute(
        update(MeetingRequest)
        .where(
            MeetingRequest.id == request.id,
            MeetingRequest.status == seen_status,
            MeetingRequest.version == seen_version,
        )
        .values(status=target, version=seen_version + 1, answered_dt=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(request)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            "The request changed meanwhile: "
            + _CLOSED_MESSAGES.get(request.status, f"it is now {request.status}.")
        )


def _require_pending(request: MeetingRequest, now: datetime) -> None:
    if request.status == RequestStatus.PENDING and request.expires_dt and request.expires_dt <= now:
        raise Conflict(_CLOSED_MESSAGES[RequestStatus.EXPIRED])
    if request.status != RequestStatus.PENDING:
        raise Conflict(_CLOSED_MESSAGES[request.status])
    if request.origin == PROPOSAL:
        raise Conflict("This auto-match proposal awaits the organiser's confirmation.")


def _require_invitee(request: MeetingRequest, actor: Participant | None) -> None:
    if actor is None or actor.id != request.invitee_id:
        raise Forbidden("Only the invited participant may answer this request.")


def accept_request(
    event: Event, request: MeetingRequest, actor: Participant | None, now: datetime | None = None
) -> Meeting:
    """The invitee accepts: the request becomes a meeting to schedule."""
    now = now or now_utc()
    _require_invitee(request, actor)
    _require_pending(request, now)
    if request.origin != RequestOrigin.ORGANISER:
        _refuse_pending_members(request.requester, request.invitee)
    _lock_participants(request.requester_id, request.invitee_id)
    _check_meeting_cap(event, request.requester, request.invitee)
    _transition(request, RequestStatus.ACCEPTED, now)
    meeting = _add_meeting(request, event)
    _announce(WebhookKind.MEETING_ACCEPTED, request, meeting)
    signals.send(signals.request_answered, request=request)
    return meeting


def decline_request(
    request: MeetingRequest, actor: Participant | None, now: datetime | None = None
) -> None:
    now = now or now_utc()
    _require_invitee(request, actor)
    _require_pending(request, now)
    _transition(request, RequestStatus.DECLINED, now)
    _announce(WebhookKind.MEETING_DECLINED, request)
    signals.send(signals.request_answered, request=request)


def cancel_request(
    request: MeetingRequest, actor: Participant | None, now: datetime | None = None
) -> None:
    """Either side (or the organiser, ``actor`` None) withdraws; a meeting is cancelled too."""
    now = now or now_utc()
    if actor is not None and actor.id not in (request.requester_id, request.invitee_id):
        raise Forbidden("Only the two participants may cancel this request.")
    if request.status not in OPEN_STATUSES:
        raise Conflict(_CLOSED_MESSAGES[request.status].replace("answered", "cancelled"))
    _transition(request, RequestStatus.CANCELLED, now)
    meeting = db.session.scalar(
        select(Meeting).where(
            Meeting.request_id == request.id, Meeting.status != MeetingStatus.CANCELLED
        )
    )
    if meeting is not None:
        meeting.status = MeetingStatus.CANCELLED
        db.session.flush()
        _announce(WebhookKind.MEETING_CANCELLED, request, meeting)


# --- auto-match proposals ------------------------------------------------------------


def confirm_proposals(
    event: Event, ids: list[int] | None, now: datetime | None = None
) -> tuple[list[MeetingRequest], list[dict[str, Any]]]:
    """Turn pending auto-match proposals into accepted meetings; returns (confirmed, skipped).

    A proposal whose pair meanwhile got a meeting or an open request is cancelled and
    listed as skipped, as is any id that is not a pending proposal of this event. A
    proposal that would take someone past the event's meeting cap stays pending (the
    organiser may raise the cap and confirm it again) and is listed as skipped: the cap
    is checked as ``accept_request`` checks it, under both participants' row locks and
    again after the INSERT.
    """
    now = now or now_utc()
    query = (
        select(MeetingRequest)
        .where(MeetingRequest.event_id == event.id, _is_draft())
        .order_by(MeetingRequest.id)
    )
    if ids is not None:
        query = query.where(MeetingRequest.id.in_(ids))
    proposals = list(db.session.scalars(query))
    skipped: list[dict[str, Any]] = []
    if ids is not None:
        found = {p.id for p in proposals}
        skipped += [
            {"id": i, "reason": "Not a pending auto-match proposal of this event."}
            for i in dict.fromkeys(ids)
            if i not in found
        ]
    confirmed: list[MeetingRequest] = []
    for proposal in proposals:
        a, b = proposal.requester_id, proposal.invitee_id
        _lock_participants(a, b)
        if _meeting_between(event, a, b) is not None or _open_between(event, a, b) is not None:
            _transition(proposal, RequestStatus.CANCELLED, now)
            skipped.append({"id": proposal.id, "reason": "The pair already has a request."})
            continue
        try:
            _check_meeting_cap(event, proposal.requester, proposal.invitee)
        except Conflict as refusal:
            skipped.append({"id": proposal.id, "reason": str(refusal)})
            continue
        _transition(proposal, RequestStatus.ACCEPTED, now)
        _announce(WebhookKind.MEETING_ACCEPTED, proposal, _add_meeting(proposal, event))
        confirmed.append(proposal)
    return confirmed, skipped
