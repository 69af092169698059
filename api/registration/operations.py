"""Registering participants (with their organisation) and changing their profiles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from api.accounts.auth import PARTICIPANT_PREFIX, hash_secret, new_secret
from api.exceptions import InvalidInput
from api.extensions import db
from api.models import Event, Opportunity, Organisation, Participant
from api.models.types import now_utc
from api.registration.tags import resolve_tags

_PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "role",
    "attendance",
    "timezone",
    "working_hours_start",
    "working_hours_end",
    "languages",
    "group",
    "description",
    "is_public",
)
_ORGANISATION_FIELDS = ("type", "country", "region", "size", "website", "description")


def email_taken(event_id: int, email: str, exclude_id: int | None = None) -> bool:
    query = select(Participant.id).where(
        Participant.event_id == event_id, Participant.email == email.lower()
    )
    if exclude_id is not None:
        query = query.where(Participant.id != exclude_id)
    return db.session.scalar(query) is not None


def find_or_create_organisation(event: Event, data: dict[str, Any], field: str) -> Organisation:
    """Several participants represent one organisation: match it by name in the event."""
    name = data["name"].strip()
    in_event = select(Organisation).where(Organisation.event_id == event.id)
    # Exact match first: SQLite's lower() only folds ASCII letters.
    organisation = db.session.scalar(in_event.where(Organisation.name == name))
    if organisation is None:
        organisation = db.session.scalar(
            in_event.where(func.lower(Organisation.name) == name.lower())
        )
    if organisation is None:
        organisation = Organisation(event_id=event.id, name=name)
        for column in _ORGANISATION_FIELDS:
            setattr(organisation, column, data.get(column))
        organisation.region = organisation.region or ""
        organisation.website = organisation.website or ""
        organisation.description = organisation.description or ""
        db.session.add(organisation)
    if data.get("sectors"):
        organisation.tags = resolve_tags(event.id, data["sectors"], f"{field}.sectors")
    return organisation


def get_event_organisation(event: Event, organisation_id: int, field: str) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.event_id != event.id:
        raise InvalidInput({field: ["No such organisation in this event."]})
    return organisation


def register_participant(
    event: Event, data: dict[str, Any], field_prefix: str = ""
) -> tuple[Participant, str]:
    """Create a participant; returns it with its access token (only its hash is stored)."""
    email = data["email"].lower()
    if email_taken(event.id, email):
        raise InvalidInput({f"{field_prefix}email": ["Already registered for this event."]})
    if "organisation_id" in data:
        organisation = get_event_organisation(
            event, data["organisation_id"], f"{field_prefix}organisation_id"
        )
    else:
        organisation = find_or_create_organisation(
            event, data["organisation"], f"{field_prefix}organisation"
        )
    token = new_secret(PARTICIPANT_PREFIX)
    participant = Participant(
        event_id=event.id, organisation=organisation, email=email, token_hash=hash_secret(token)
    )
    for column in _PROFILE_FIELDS:
        if column in data:
            setattr(participant, column, data[column])
    participant.interests = resolve_tags(
        event.id, data.get("interests") or [], f"{field_prefix}interests"
    )
    participant.consent_dt = now_utc()
    db.session.add(participant)
    db.session.flush()
    return participant, token


def update_participant(participant: Participant, data: dict[str, Any]) -> None:
    if "email" in data:
        email = data["email"].lower()
        if email_taken(participant.event_id, email, exclude_id=participant.id):
            raise InvalidInput({"email": ["Already registered for this event."]})
        participant.email = email
    if "organisation_id" in data:
        event = db.session.get(Event, participant.event_id)
        assert event is not None
        participant.organisation = get_event_organisation(
            event, data["organisation_id"], "organisation_id"
        )
    for column in _PROFILE_FIELDS:
        if column in data:
            setattr(participant, column, data[column])
    if participant.working_hours_end <= participant.working_hours_start:
        raise InvalidInput({"working_hours_end": ["Working hours must end after they start."]})
    if "interests" in data:
        participant.interests = resolve_tags(participant.event_id, data["interests"], "interests")


def add_opportunity(event: Event, owner: Participant, data: dict[str, Any]) -> Opportunity:
    """A marketplace item (offer, request, ...) of ``owner``, tagged from the taxonomy."""
    item = Opportunity(
        event_id=event.id,
        participant_id=owner.id,
        kind=data["kind"],
        title=data["title"],
        description=data.get("description", ""),
        tags=resolve_tags(event.id, data.get("tags") or [], "tags"),
    )
    db.session.add(item)
    db.session.flush()
    return item
