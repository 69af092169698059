"""The demo's printed summary: what a person reads after `make demo`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from api.extensions import db
from api.models import (
    Event,
    MeetingRequest,
    MeetingTable,
    Opportunity,
    Organisation,
    Participant,
    Room,
    ScheduleVersion,
    Session,
    SignUp,
    Tag,
)
from api.models.enums import Attendance, RequestStatus


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
    online = sum(p.attendance == Attendance.ONLINE for p in participants)
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


def print_recommendations(
    console: Console, event: Event, recommendations: dict[str, list[Any]], people: int = 3
) -> None:
    console.rule("Recommendations (top 3 of a few participants, with reasons)")
    names = {
        str(p.id): f"{p.full_name} ({p.organisation.name}, {p.organisation.country})"
        for p in db.session.scalars(select(Participant).where(Participant.event_id == event.id))
    }
    shown = 0
    for participant_id, recs in recommendations.items():
        if not recs or not recs[0].reasons:
            continue
        console.print(f"[bold]{names[participant_id]}[/]")
        for rec in recs[:3]:
            mutual = " [green]mutual[/]" if rec.is_mutual else ""
            reason = rec.reasons[0].text if rec.reasons else ""
            console.print(f"  {rec.rank}. {names[rec.candidate_id]}{mutual} · {rec.score:.2f}")
            if reason:
                console.print(f"     [dim]{reason}[/]")
        shown += 1
        if shown == people:
            break


def print_requests(console: Console, event: Event) -> None:
    rows = db.session.execute(
        select(MeetingRequest.status, func.count())
        .where(MeetingRequest.event_id == event.id)
        .group_by(MeetingRequest.status)
    ).all()
    by_status = {status: n for status, n in rows}
    total = sum(by_status.values())
    answered = by_status.get(RequestStatus.ACCEPTED, 0) + by_status.get(RequestStatus.DECLINED, 0)
    rate = by_status.get(RequestStatus.ACCEPTED, 0) / answered if answered else 0.0
    console.rule("Meeting requests")
    console.print(
        f"{total} requests: "
        + ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
        + f"; acceptance rate {rate:.0%} of answered requests."
    )


def print_schedules(
    console: Console,
    agenda: ScheduleVersion,
    meetings: ScheduleVersion,
    baseline: dict[str, int],
) -> None:
    console.rule("Schedules (solved by CP-SAT, published)")
    a = agenda.summary
    console.print(
        f"Agenda v{agenda.number}: {a['status']} · {a['placed']} of {a['sessions']} sessions "
        f"placed · {a['attendee_clashes']} attendee clashes (people signed up to two "
        f"overlapping sessions) · audience overflow {a['overflow_total']} · "
        f"solved in {a['solve_seconds']} s"
    )
    m = meetings.summary
    reasons = Counter(item["reason"] for item in m.get("unscheduled", []))
    left_out = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in reasons.items()) or "none"
    console.print(
        f"Meetings v{meetings.number}: {m['status']} · {m['scheduled']} of {m['meetings']} "
        f"accepted meetings placed · {m['total_breaks']} breaks in total "
        f"(worst participant {m['max_breaks']}) · table utilisation "
        f"{m['table_utilisation']:.0%} · solved in {m['solve_seconds']} s"
    )
    console.print(f"Left out, with the reason: {left_out}")
    console.print(
        f"First come, first served (what self-booking platforms do) on the same meetings: "
        f"{baseline['scheduled']} placed, {baseline['total_breaks']} breaks "
        f"(worst participant {baseline['max_breaks']}); clustermeet: {m['scheduled']} placed, "
        f"{m['total_breaks']} breaks ({m['total_breaks'] / max(1, baseline['total_breaks']):.0%}"
        " of the baseline's)."
    )


def print_web_sign_in(
    console: Console, event: Event, organiser_key: str, participant: Participant, token: str
) -> None:
    """Where a person opens the web app and how they sign in as either kind of user."""
    base = "http://127.0.0.1:5000"
    console.rule("Open it in a browser")
    console.print(
        f"Run [bold]clustermeet run[/] (or [bold].venv/bin/clustermeet run[/]), then open "
        f"[bold]{base}/[/] and choose [bold]Sign in[/]:\n"
        f"  as the organiser, paste the API key [bold]{organiser_key}[/]\n"
        f"    then open {base}/events/{event.id}/organise (solve, review, publish)\n"
        f"  as the participant {participant.full_name}, paste [bold]{token}[/]\n"
        f"    then open {base}/events/{event.id}/me/agenda (or the marketplace and requests)"
    )
