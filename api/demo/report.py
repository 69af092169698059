"""The demo's printed summary: what a person reads after `make demo`."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from api.extensions import db
from api.models import (
    Event,
    MeetingTable,
    Opportunity,
    Organisation,
    Participant,
    Room,
    Session,
    SignUp,
    Tag,
)


def _count(model: type, event: Event) -> int:
    column = model.event_id  # type: ignore[attr-defined]
    return db.session.scalar(select(func.count()).where(column == event.id)) or 0


def print_event_summary(console: Console, event: Event) -> None:
    organisations = list(
        db.session.scalars(select(Organisation).where(Organisation.event_id == event.id))
    )
    participants = list(
        db.session.scalars(select(Participant).where(Participant.event_id == event.id))
    )
    by_country = Counter(org.country for org in organisations)
    by_type = Counter(org.type for org in organisations)
    online = sum(p.attendance == "online" for p in participants)
    console.rule(f"[bold]{event.name}")
    console.print(
        f"{event.venue} · {event.start_date:%d %b} to {event.end_date:%d %b %Y} · {event.timezone}"
    )
    console.print(
        f"[bold]{len(participants)}[/] participants ({online} online) from "
        f"[bold]{len(organisations)}[/] organisations in [bold]{len(by_country)}[/] countries; "
        f"{_count(Opportunity, event)} offers and requests; "
        f"{_count(Tag, event)} taxonomy tags"
    )
    types = Table(title="Organisations by type", show_edge=False)
    types.add_column("type")
    types.add_column("n", justify="right")
    for name, n in by_type.most_common():
        types.add_row(name.replace("_", " "), str(n))
    countries = Table(title="Top countries", show_edge=False)
    countries.add_column("country")
    countries.add_column("n", justify="right")
    for code, n in by_country.most_common(10):
        countries.add_row(code, str(n))
    grid = Table.grid(padding=(0, 4))
    grid.add_row(types, countries)
    console.print(grid)
    signups = db.session.scalar(
        select(func.count()).select_from(SignUp).join(Session).where(Session.event_id == event.id)
    )
    console.print(
        f"Programme: {_count(Session, event)} sessions in {_count(Room, event)} rooms, "
        f"{signups} sign-ups; matchmaking on {_count(MeetingTable, event)} tables, "
        f"{event.meeting_length_min}-minute meetings."
    )
