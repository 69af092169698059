"""``clustermeet requests``: housekeeping of meeting requests."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from api.extensions import db
from api.models import Event
from api.models.types import now_utc
from api.requests.operations import expire_requests


@click.group("requests")
def requests_group() -> None:
    """Meeting requests."""


@requests_group.command("expire")
@click.option("--event", "event_id", type=int, help="Only this event (default: every event).")
@with_appcontext
def expire(event_id: int | None) -> None:
    """Expire pending requests past their event's expiry (reading them also does it)."""
    query = select(Event).order_by(Event.id)
    if event_id is not None:
        query = query.where(Event.id == event_id)
    events = list(db.session.scalars(query))
    if event_id is not None and not events:
        raise click.BadParameter(f"no event {event_id}", param_hint="--event")
    now = now_utc()
    total = 0
    for event in events:
        total += expire_requests(event, now)
    db.session.commit()
    click.echo(f"{total} pending request(s) expired.")
