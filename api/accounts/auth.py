"""Who is calling: organiser API keys and participant tokens, random secrets stored only as
hashes, and the principal (organiser or participant) of the current request."""

from __future__ import annotations

import hashlib
import secrets
from typing import cast

from flask import g, request

from api.exceptions import Unauthorized
from api.extensions import db
from api.models import Event, Organiser, Participant

ORGANISER_PREFIX = "cmo_"
PARTICIPANT_PREFIX = "cmp_"


def hash_secret(secret: str) -> str:
    # The secrets are 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def create_organiser(name: str) -> tuple[Organiser, str]:
    key = new_secret(ORGANISER_PREFIX)
    organiser = Organiser(name=name, key_hash=hash_secret(key), key_prefix=key[:8])
    db.session.add(organiser)
    return organiser, key


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def principal_for(token: str) -> tuple[Organiser | None, Participant | None]:
    """The organiser or participant a key or token belongs to (both None if nobody)."""
    digest = hash_secret(token)
    if token.startswith(ORGANISER_PREFIX):
        organiser = db.session.scalar(db.select(Organiser).filter_by(key_hash=digest))
        return organiser, None
    if token.startswith(PARTICIPANT_PREFIX):
        participant = db.session.scalar(db.select(Participant).filter_by(token_hash=digest))
        return None, participant
    return None, None


def load_principal() -> None:
    """Resolve the request's credentials once; a bad token is a 401, not anonymous."""
    g.organiser = None
    g.participant = None
    token = _bearer()
    if token is None:
        return
    g.organiser, g.participant = principal_for(token)
    if g.organiser is None and g.participant is None:
        raise Unauthorized("Invalid credentials")


def current_organiser() -> Organiser | None:
    return cast("Organiser | None", g.get("organiser"))


def current_participant() -> Participant | None:
    return cast("Participant | None", g.get("participant"))


def sees_private_profile(participant: Participant) -> bool:
    """The participant themself and their event's organiser see private fields."""
    viewer = current_participant()
    if viewer is not None:
        return viewer.id == participant.id
    organiser = current_organiser()
    return organiser is not None and participant_event(participant).can_manage(organiser)


def participant_event(participant: Participant) -> Event:
    # Kept for the request: the session's identity map holds objects weakly, so a page
    # of profiles would otherwise load the event once per row.
    events: dict[int, Event] = g.setdefault("clustermeet_events", {})
    event = events.get(participant.event_id) or db.session.get(Event, participant.event_id)
    assert event is not None
    events[event.id] = event
    return event


def is_organiser_request() -> bool:
    """Whether the request carries a valid organiser key (usable before load_principal)."""
    token = _bearer()
    return token is not None and principal_for(token)[0] is not None
