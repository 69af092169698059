"""Who may see a page: a signed-in caller (Authorization header or browser session, read
by ``api.accounts.auth.load_principal``), or a feed secret (``/feeds/<secret>/...``,
read by ``api.outputs.feeds``). Keys and tokens in URLs are refused."""

from __future__ import annotations

from flask import g, request
from werkzeug.wrappers import Response

from api.exceptions import Forbidden, NotFound, Unauthorized
from api.extensions import db
from api.models import Event, FeedSecret, Participant
from api.models.event_members import Permission
from api.models.feed_secrets import FeedScope


def load_page_principal() -> None:
    if request.args.get("token"):
        raise Unauthorized(
            "Tokens in URLs are no longer accepted: use a page link (POST "
            "/api/v1/events/{id}/page-links) or a participant's feed link"
        )


def private_page(response: Response) -> Response:
    """Pages hold personal data: never cached, and no address leaks to other sites."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def page_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    return event


def is_organiser(event: Event) -> bool:
    feed: FeedSecret | None = g.get("feed")
    if feed is not None:
        return feed.event_id == event.id and feed.scope == FeedScope.EVENT
    return event.permits(g.get("organiser"), Permission.READ)


def require_organiser_or(event: Event, participant_id: int | None = None) -> None:
    """The event's organisers, or (when given) that participant of the event."""
    feed: FeedSecret | None = g.get("feed")
    if feed is not None:
        # A feed link opens its own pages and no others, and does not say which exist.
        if feed.event_id == event.id and (
            feed.scope == FeedScope.EVENT
            or (participant_id is not None and feed.participant_id == participant_id)
        ):
            return
        raise NotFound("Page not found")
    if is_organiser(event):
        return
    me: Participant | None = g.get("participant")
    if me is None and g.get("organiser") is None:
        raise Unauthorized("Sign in, or use a page link")
    if me is None or me.event_id != event.id or participant_id is None or me.id != participant_id:
        raise Forbidden("Only the event's organiser or this participant may see this page")
