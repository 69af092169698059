"""Links that travel: ``/feeds/<secret>/...`` serves calendar feeds and printable pages
to whoever holds the link (a calendar app, a printer), with no credential in the URL.

A participant's secret opens their calendar and their agenda page; an event's secret
(a page link) opens the organisers' printable pages. Anything else is a 404, and the
secret opens nothing in the API.
"""

from __future__ import annotations

from flask import Blueprint, Response, g

from api.accounts.feeds import feed_for_secret
from api.exceptions import NotFound
from api.extensions import db
from api.models import Event, FeedSecret, Participant
from api.models.feed_secrets import FeedScope
from api.outputs import views
from api.outputs.access import private_page
from api.outputs.calendars import participant_calendar

blp = Blueprint("feeds", __name__, url_prefix="/feeds/<secret>")


@blp.url_value_preprocessor
def _resolve(_endpoint: str | None, values: dict[str, object] | None) -> None:
    secret = str((values or {}).pop("secret", ""))
    feed = feed_for_secret(secret)
    if feed is None:
        raise NotFound("This link is not valid (any more)")
    g.feed = feed


blp.after_request(private_page)


def _feed() -> FeedSecret:
    feed: FeedSecret = g.feed
    return feed


def _own_participant() -> tuple[Event, Participant]:
    feed = _feed()
    if feed.scope != FeedScope.PARTICIPANT or feed.participant_id is None:
        raise NotFound("Page not found")
    event = db.session.get(Event, feed.event_id)
    participant = db.session.get(Participant, feed.participant_id)
    assert event is not None and participant is not None
    return event, participant


@blp.get("/agenda.ics")
def calendar() -> Response:
    event, participant = _own_participant()
    response = Response(
        participant_calendar(event, participant), content_type="text/calendar; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'inline; filename="{event.slug}-agenda.ics"'
    return response


@blp.get("/schedule")
def own_schedule() -> str:
    event, participant = _own_participant()
    return views.participant_schedule(event.id, participant.id)


@blp.get("/participants/<int:participant_id>/schedule")
def participant_schedule(participant_id: int) -> str:
    return views.participant_schedule(_feed().event_id, participant_id)


@blp.get("/tables/<int:table_id>/plan")
def table_plan(table_id: int) -> str:
    return views.table_plan(_feed().event_id, table_id)


@blp.get("/grid")
def event_grid() -> str:
    return views.event_grid(_feed().event_id)


@blp.get("/stats")
def stats_page() -> str:
    return views.stats_page(_feed().event_id)
