"""Guards for routes: look up what the caller may see, raise when they may not.

They raise ``api.exceptions`` errors (``api/errors.py`` maps them to 401/403/404); the
decorators run before the body is parsed, so 401/403 come before 422.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from api.exceptions import Forbidden, NotFound, Unauthorized
from api.extensions import db
from api.http.principal import (
    current_organiser,
    current_participant,
    method_permission,
    organiser_may,
    participant_event,
    sees_private_profile,
)
from api.models import Event, Organiser, Participant
from api.models.event_members import Permission


def require_organiser() -> Organiser:
    organiser = current_organiser()
    if organiser is None:
        raise Unauthorized("An organiser API key is required")
    return organiser


def require_authenticated() -> None:
    if current_organiser() is None and current_participant() is None:
        raise Unauthorized("Credentials are required")


def get_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    return event


def get_permitted_event(event_id: int, permission: Permission | None = None) -> Event:
    """The event, if the caller's role allows ``permission`` (by default: reading for
    GET, managing for changes): 401 anonymous, 403 anyone else."""
    event = get_event(event_id)
    organiser = current_organiser()
    if organiser is None and current_participant() is None:
        raise Unauthorized("An organiser API key is required")
    needed = permission or method_permission()
    if not organiser_may(event, needed):
        if organiser is not None and event.can_manage(organiser):
            raise Forbidden(f"Your role on this event does not allow this ({needed.value})")
        raise Forbidden("Only the event's organisers may do this")
    return event


def get_managed_event(event_id: int) -> Event:
    """The event, if the caller may read it (GET) or manage it (anything else)."""
    return get_permitted_event(event_id)


def is_event_member(event: Event) -> bool:
    """One of the event's organisers (any role), or one of its participants."""
    participant = current_participant()
    return event.can_manage(current_organiser()) or (
        participant is not None and participant.event_id == event.id
    )


def require_participant() -> Participant:
    participant = current_participant()
    if participant is None:
        raise Unauthorized("A participant token is required")
    return participant


def get_event_participant(event: Event, participant_id: int) -> Participant:
    """A participant the caller may see: 404 across events and for hidden profiles."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        raise NotFound("Participant not found")
    if not participant.is_public and not sees_private_profile(participant):
        raise NotFound("Participant not found")
    return participant


def require_participant_editor(participant: Participant) -> None:
    """Only the participant themself or an organiser whose role allows the request."""
    viewer = current_participant()
    if viewer is not None and viewer.id == participant.id:
        return
    if current_organiser() is not None and organiser_may(participant_event(participant)):
        return
    raise Forbidden("Only the participant or the organiser may do this")


def get_member_event(event_id: int) -> Event:
    """The event, if the caller is its organiser or one of its participants."""
    event = get_event(event_id)
    require_authenticated()
    if not is_event_member(event):
        raise Forbidden("You are not part of this event")
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
participant_required = _guard(lambda _kwargs: require_participant())
event_manager_required = _guard(lambda kwargs: get_managed_event(kwargs["event_id"]))
event_member_required = _guard(lambda kwargs: get_member_event(kwargs["event_id"]))


def event_permission_required(permission: Permission) -> Callable[[F], F]:
    """Like ``event_manager_required``, for one named permission (publish, attendance...)."""
    return _guard(lambda kwargs: get_permitted_event(kwargs["event_id"], permission))
