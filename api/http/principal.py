"""The caller of the current request, as ``api.accounts.auth.load_principal`` found it,
and what their roles let them do. Reads ``flask.g`` only, so every feature may use it."""

from __future__ import annotations

from typing import cast

from flask import g, has_request_context, request

from api.extensions import db
from api.models import ApiKey, Event, Organiser, Participant, ParticipantSession
from api.models.event_members import Permission

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def current_organiser() -> Organiser | None:
    return cast("Organiser | None", g.get("organiser"))


def current_participant() -> Participant | None:
    return cast("Participant | None", g.get("participant"))


def current_api_key() -> ApiKey | None:
    return cast("ApiKey | None", g.get("api_key"))


def current_session() -> ParticipantSession | None:
    return cast("ParticipantSession | None", g.get("participant_session"))


def method_permission() -> Permission:
    """What a request needs by default: reading for safe methods, managing otherwise."""
    if has_request_context() and request.method not in SAFE_METHODS:
        return Permission.MANAGE
    return Permission.READ


def organiser_may(event: Event, permission: Permission | None = None) -> bool:
    """Whether the calling organiser may do this to the event: their role allows it and,
    for anything but reading, their key is not read-only."""
    needed = permission or method_permission()
    key = current_api_key()
    if key is not None and key.is_read_only and needed != Permission.READ:
        return False
    return event.permits(current_organiser(), needed)


def sees_private_profile(participant: Participant) -> bool:
    """The participant themself and their event's organisers see private fields."""
    viewer = current_participant()
    if viewer is not None:
        return viewer.id == participant.id
    organiser = current_organiser()
    return organiser is not None and participant_event(participant).permits(
        organiser, Permission.READ
    )


def participant_event(participant: Participant) -> Event:
    event = db.session.get(Event, participant.event_id)
    assert event is not None
    return event
