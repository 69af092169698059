"""Organiser API keys and participant tokens: random secrets, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast

from flask import g, request
from flask_smorest import abort

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


def deny(code: int, message: str) -> NoReturn:
    """Abort with a JSON error (flask-smorest's ``abort`` is untyped, this says NoReturn)."""
    abort(code, message=message)
    raise AssertionError("unreachable")


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
        deny(401, "Invalid credentials")


def current_organiser() -> Organiser | None:
    return cast("Organiser | None", g.get("organiser"))


def current_participant() -> Participant | None:
    return cast("Participant | None", g.get("participant"))


def require_organiser() -> Organiser:
    organiser = current_organiser()
    if organiser is None:
        deny(401, "An organiser API key is required")
    return organiser


def require_authenticated() -> None:
    if current_organiser() is None and current_participant() is None:
        deny(401, "Credentials are required")


def get_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        deny(404, "Event not found")
    return event


def get_managed_event(event_id: int) -> Event:
    """The event, if the caller is its organiser: 401 anonymous, 403 anyone else."""
    event = get_event(event_id)
    organiser = current_organiser()
    if organiser is None and current_participant() is None:
        deny(401, "An organiser API key is required")
    if not event.can_manage(organiser):
        deny(403, "Only the event's organiser may do this")
    return event


def is_event_member(event: Event) -> bool:
    """The event's organiser, or one of its participants."""
    participant = current_participant()
    return event.can_manage(current_organiser()) or (
        participant is not None and participant.event_id == event.id
    )


def sees_private_profile(participant: Participant) -> bool:
    """The participant themself and their event's organiser see private fields."""
    viewer = current_participant()
    if viewer is not None:
        return viewer.id == participant.id
    organiser = current_organiser()
    return organiser is not None and participant_event(participant).can_manage(organiser)


def participant_event(participant: Participant) -> Event:
    event = db.session.get(Event, participant.event_id)
    assert event is not None
    return event


def get_event_participant(event: Event, participant_id: int) -> Participant:
    """A participant the caller may see: 404 across events and for hidden profiles."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        deny(404, "Participant not found")
    if not participant.is_public and not sees_private_profile(participant):
        deny(404, "Participant not found")
    return participant


def require_participant_editor(participant: Participant) -> None:
    """Only the participant themself or the event's organiser change a profile."""
    if not sees_private_profile(participant):
        deny(403, "Only the participant or the organiser may do this")


def get_member_event(event_id: int) -> Event:
    """The event, if the caller is its organiser or one of its participants."""
    event = get_event(event_id)
    require_authenticated()
    if not is_event_member(event):
        deny(403, "You are not part of this event")
    return event


F = TypeVar("F", bound=Callable[..., Any])


def _guard(check: Callable[[dict[str, Any]], object]) -> Callable[[F], F]:
    """Run an access check before the body is parsed, so 401/403 come before 422.

    Place the decorator above ``@blp.arguments``; ``wraps`` keeps flask-smorest's docs.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check(kwargs)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


organiser_required = _guard(lambda _kwargs: require_organiser())
event_manager_required = _guard(lambda kwargs: get_managed_event(kwargs["event_id"]))
event_member_required = _guard(lambda kwargs: get_member_event(kwargs["event_id"]))
