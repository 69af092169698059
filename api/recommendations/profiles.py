"""An event's participants and rules, read from the database, as matchmaking inputs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingRequest,
    Opportunity,
    Organisation,
    Participant,
    Tag,
)
from api.models.enums import MeetingStatus, RequestOrigin, RequestStatus
from api.models.types import now_utc
from matchmaking import MatchingRules, ParticipantProfile, RequestOutcome
from matchmaking import Opportunity as ProfileItem

# Requests that settle a pair: they met (or will), or one side said no.
SETTLED_REQUEST_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.DECLINED)


def event_participants(event: Event, *, include_hidden: bool = False) -> list[Participant]:
    """The event's participants with everything a profile needs, loaded in a few queries."""
    query = (
        select(Participant)
        .where(Participant.event_id == event.id)
        .options(
            selectinload(Participant.organisation).selectinload(Organisation.tags),
            selectinload(Participant.interests),
        )
        .order_by(Participant.id)
    )
    if not include_hidden:
        query = query.where(Participant.is_public.is_(True))
    return list(db.session.scalars(query))


def _opportunities_by_participant(event: Event) -> dict[int, list[Opportunity]]:
    items: dict[int, list[Opportunity]] = defaultdict(list)
    query = (
        select(Opportunity)
        .where(Opportunity.event_id == event.id)
        .options(selectinload(Opportunity.tags))
        .order_by(Opportunity.id)
    )
    for item in db.session.scalars(query):
        items[item.participant_id].append(item)
    return items


def build_profile(participant: Participant, items: Iterable[Opportunity]) -> ParticipantProfile:
    """The participant's profile as matchmaking reads it."""
    organisation = participant.organisation
    return ParticipantProfile(
        participant_id=str(participant.id),
        organisation_id=str(organisation.id),
        organisation_type=organisation.type,  # type: ignore[arg-type]
        country=organisation.country,
        region=organisation.region or "",
        group=participant.group or None,
        interests=tuple(tag.slug for tag in participant.interests),
        sectors=tuple(tag.slug for tag in organisation.tags),
        description=" ".join(
            text for text in (participant.description, organisation.description) if text
        ),
        opportunities=tuple(
            ProfileItem(
                kind=item.kind,  # type: ignore[arg-type]
                title=item.title,
                description=item.description or "",
                tags=tuple(tag.slug for tag in item.tags),
                opportunity_id=str(item.id),
            )
            for item in items
        ),
    )


def build_profiles(participants: Iterable[Participant], event: Event) -> list[ParticipantProfile]:
    items = _opportunities_by_participant(event)
    return [build_profile(p, items.get(p.id, ())) for p in participants]


def settled_pairs(event: Event) -> set[tuple[int, int]]:
    """Pairs that already met or will meet, or where one side declined the other."""
    pairs: set[tuple[int, int]] = set()
    requests = select(MeetingRequest.requester_id, MeetingRequest.invitee_id).where(
        MeetingRequest.event_id == event.id,
        MeetingRequest.status.in_(SETTLED_REQUEST_STATUSES),
    )
    meetings = select(Meeting.participant_a_id, Meeting.participant_b_id).where(
        Meeting.event_id == event.id, Meeting.status != MeetingStatus.CANCELLED
    )
    for a, b in [*db.session.execute(requests), *db.session.execute(meetings)]:
        pairs.add((min(a, b), max(a, b)))
    return pairs


def answered_requests(event: Event) -> list[RequestOutcome]:
    """The event's accepted and declined requests, oldest answer first, as matchmaking reads
    them: what people who asked for something said to whom they were offered."""
    rows = db.session.execute(
        select(MeetingRequest.requester_id, MeetingRequest.invitee_id, MeetingRequest.status)
        .where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status.in_(SETTLED_REQUEST_STATUSES),
        )
        .order_by(MeetingRequest.answered_dt, MeetingRequest.id)
    )
    return [
        RequestOutcome(str(requester), str(invitee), status == RequestStatus.ACCEPTED)
        for requester, invitee, status in rows
    ]


def open_request_pairs(event: Event, now: datetime | None = None) -> set[tuple[int, int]]:
    """Pairs with a request waiting for an answer (auto-match drafts and overdue ones aside)."""
    now = now or now_utc()
    rows = db.session.execute(
        select(MeetingRequest.requester_id, MeetingRequest.invitee_id).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status == RequestStatus.PENDING,
            MeetingRequest.origin != RequestOrigin.AUTO_MATCH,
            or_(MeetingRequest.expires_dt.is_(None), MeetingRequest.expires_dt > now),
        )
    )
    return {(min(a, b), max(a, b)) for a, b in rows}


def build_rules(event: Event, excluded: Iterable[tuple[int, int]] | None = None) -> MatchingRules:
    """The organiser's rules; ``excluded`` defaults to the pairs already met or declined."""
    pairs = settled_pairs(event) if excluded is None else excluded
    return MatchingRules.from_mapping(
        event.rules or {}, excluded_pairs=[(str(a), str(b)) for a, b in pairs]
    )


def tag_labels(event: Event) -> dict[str, str]:
    """Tag slug -> label, so reasons read "Green transition" rather than a slug."""
    rows = db.session.execute(select(Tag.slug, Tag.label).where(Tag.event_id == event.id))
    return {slug: label for slug, label in rows}
