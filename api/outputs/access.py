"""Who is looking at a page: a ``?token=`` (participant token or organiser key) or the
Authorization header that ``api.accounts.auth.load_principal`` already read."""

from __future__ import annotations

from flask import g, request

from api.accounts.auth import principal_for
from api.exceptions import Forbidden, NotFound, Unauthorized
from api.extensions import db
from api.models import Event, Participant


def load_page_principal() -> None:
    token = request.args.get("token", "").strip()
    if not token:
        return
    g.organiser, g.participant = principal_for(token)
    if g.organiser is None and g.participant is None:
        raise Unauthorized("Invalid token")


def page_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    return event


def is_organiser(event: Event) -> bool:
    return event.can_manage(g.get("organiser"))


def require_organiser_or(event: Event, participant_id: int | None = None) -> None:
    """The event's organiser, or (when given) that participant of the event."""
    if is_organiser(event):
        return
    me: Participant | None = g.get("participant")
    if me is None and g.get("organiser") is None:
        raise Unauthorized("A token or API key is required")
    if me is None or me.event_id != event.id or participant_id is None or me.id != participant_id:
        raise Forbidden("Only the event's organiser or this participant may see this page")
