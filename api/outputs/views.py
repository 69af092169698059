"""Page views under ``/events/<id>/...``: for signed-in callers (see ``api.outputs.access``);
``api.outputs.feeds`` serves the same pages under feed links."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from sqlalchemy import select

from api.events.slots import Slot, event_slots
from api.exceptions import BadRequest, NotFound
from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    MeetingRequest,
    MeetingTable,
    Participant,
)
from api.models.enums import MeetingStatus, ScheduleKind
from api.outputs import charts
from api.outputs.access import (
    load_page_principal,
    page_event,
    private_page,
    require_organiser_or,
)
from api.outputs.stats import event_stats
from api.schedules.operations import published_version
from api.schedules.read_models import personal_schedule
from api.web_session import load_session_principal

blp = Blueprint("pages", __name__, url_prefix="/events/<int:event_id>", template_folder="templates")
blp.before_request(load_page_principal)
# A browser signed in to the web app sees its pages without a token in the URL.
blp.before_request(load_session_principal)
blp.after_request(private_page)

TYPE_LABELS = {
    "sme": "SME",
    "large_company": "Large company",
    "cluster_organisation": "Cluster organisation",
    "research": "Research",
    "university": "University",
    "public_authority": "Public authority",
    "investor": "Investor",
    "other": "Other",
}


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone)


def _placements(event: Event) -> list[tuple[MeetingPlacement, Meeting]]:
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is None:
        return []
    rows = db.session.execute(
        select(MeetingPlacement, Meeting)
        .join(Meeting, Meeting.id == MeetingPlacement.meeting_id)
        .where(MeetingPlacement.version_id == version.id, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(MeetingPlacement.slot)
    )
    return [(p, m) for p, m in rows]


def _days(slots: list[Slot], zone: ZoneInfo) -> list[date]:
    return sorted({_local(s.start_dt, zone).date() for s in slots})


def _chosen_day(days: list[date]) -> date | None:
    raw = request.args.get("day")
    if raw:
        try:
            day = date.fromisoformat(raw)
        except ValueError as exc:
            raise BadRequest("day must be a date (YYYY-MM-DD)") from exc
        return day
    return days[0] if days else None


def _reasons(me: Participant, partner: Participant, meeting: Meeting) -> list[str]:
    """Why two people meet, in words: shared interests and the request's message."""
    reasons: list[str] = []
    shared = sorted({t.label for t in me.interests} & {t.label for t in partner.interests})
    shared_org = sorted(
        {t.label for t in me.organisation.tags} & {t.label for t in partner.organisation.tags}
    )
    if shared:
        reasons.append("You share an interest in " + ", ".join(shared[:4]))
    elif shared_org:
        reasons.append("Both organisations work on " + ", ".join(shared_org[:4]))
    if meeting.request_id is not None:
        meeting_request = db.session.get(MeetingRequest, meeting.request_id)
        if meeting_request is not None and meeting_request.message.strip():
            who = "you" if meeting_request.requester_id == me.id else partner.first_name
            reasons.append(f"Message from {who}: “{meeting_request.message.strip()[:200]}”")
    return reasons


@blp.get("/participants/<int:participant_id>/schedule")
def participant_schedule(event_id: int, participant_id: int) -> str:
    event = page_event(event_id)
    require_organiser_or(event, participant_id)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        raise NotFound("Participant not found")
    schedule = personal_schedule(event, participant)
    zone = ZoneInfo(schedule["timezone"])
    meetings = {
        m.id: m
        for m in db.session.scalars(
            select(Meeting).where(
                Meeting.id.in_([i["meeting_id"] for i in schedule["items"] if i["meeting_id"]])
            )
        )
    }
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for item in schedule["items"]:
        start = _local(item["start_dt"], zone)
        row = {
            "kind": item["kind"],
            "start": start,
            "end": _local(item["end_dt"], zone),
            "title": item["title"],
            "where": item["where"],
            "partner": None,
            "reasons": [],
            "status": None,
        }
        if item["kind"] == "meeting":
            meeting = meetings[item["meeting_id"]]
            partner = meeting.live_partner_of(participant.id)  # published: both sides
            row.update(
                partner=partner,
                partner_type=TYPE_LABELS.get(partner.organisation.type, partner.organisation.type),
                reasons=_reasons(participant, partner, meeting),
                status=meeting.status,
                is_online=item["is_online"],
            )
        by_day[start.date()].append(row)
    return render_template(
        "pages/participant_schedule.html",
        event=event,
        participant=participant,
        timezone=schedule["timezone"],
        days=sorted(by_day.items()),
        n_meetings=sum(1 for i in schedule["items"] if i["kind"] == "meeting"),
        n_sessions=sum(1 for i in schedule["items"] if i["kind"] == "session"),
    )


@blp.get("/tables/<int:table_id>/plan")
def table_plan(event_id: int, table_id: int) -> str:
    event = page_event(event_id)
    table = db.session.get(MeetingTable, table_id)
    if table is None or table.event_id != event.id:
        raise NotFound("Table not found")
    require_organiser_or(event, table.reserved_for_id)
    zone = ZoneInfo(event.timezone)
    slots = event_slots(event)
    days = _days(slots, zone)
    day = _chosen_day(days)
    placed = {p.slot: (p, m) for p, m in _placements(event) if p.table_id == table.id}
    rows = []
    for slot in slots:
        if _local(slot.start_dt, zone).date() != day:
            continue
        hit = placed.get(slot.index)
        rows.append(
            {
                "start": _local(slot.start_dt, zone),
                "end": _local(slot.end_dt, zone),
                "meeting": hit[1] if hit else None,
                "block": slot.block,
            }
        )
    return render_template(
        "pages/table_plan.html",
        event=event,
        table=table,
        day=day,
        days=days,
        rows=rows,
        n_meetings=sum(1 for r in rows if r["meeting"]),
        token=request.args.get("token", ""),
    )


@blp.get("/grid")
def event_grid(event_id: int) -> str:
    event = page_event(event_id)
    require_organiser_or(event)
    zone = ZoneInfo(event.timezone)
    slots = event_slots(event)
    days = _days(slots, zone)
    day = _chosen_day(days)
    day_slots = [s for s in slots if _local(s.start_dt, zone).date() == day]
    tables = list(
        db.session.scalars(
            select(MeetingTable).where(MeetingTable.event_id == event.id).order_by(MeetingTable.id)
        )
    )
    cells: dict[tuple[int, int], Meeting] = {
        (p.table_id, p.slot): m for p, m in _placements(event) if p.table_id is not None
    }
    used = sum(1 for (t, s) in cells if s in {x.index for x in day_slots})
    capacity = len(tables) * len(day_slots)
    return render_template(
        "pages/event_grid.html",
        event=event,
        day=day,
        days=days,
        slots=[(s, _local(s.start_dt, zone)) for s in day_slots],
        tables=tables,
        cells=cells,
        used=used,
        capacity=capacity,
        token=request.args.get("token", ""),
    )


@blp.get("/stats")
def stats_page(event_id: int) -> str:
    event = page_event(event_id)
    require_organiser_or(event)
    stats = event_stats(event)
    zone = ZoneInfo(event.timezone)
    reg = stats["registrations"]
    util = stats["tables"]["utilisation_per_slot"]
    slot_labels = [f"{_local(u['start_dt'], zone):%a %H:%M}" for u in util]
    n_slots = len(util)
    figures = {
        "country": charts.hbar_chart(
            [(r["label"], r["count"]) for r in reg["by_country"]], title="Registrations by country"
        ),
        "type": charts.hbar_chart(
            [(TYPE_LABELS.get(r["label"], r["label"]), r["count"]) for r in reg["by_type"]],
            title="Registrations by organisation type",
            color=charts.PALETTE[1],
        ),
        "sector": charts.hbar_chart(
            [(r["label"], r["count"]) for r in reg["by_sector"]],
            title="Registrations by sector",
            color=charts.PALETTE[3],
        ),
        "breaks": charts.column_chart(
            [(str(b["breaks"]), b["participants"]) for b in stats["breaks"]["histogram"]],
            title="Breaks per participant",
            x_label="breaks in the day",
            y_label="participants",
            color=charts.PALETTE[2],
        ),
        "per_participant": charts.column_chart(
            [(str(m["meetings"]), m["participants"]) for m in stats["meetings_per_participant"]],
            title="Meetings per participant",
            x_label="meetings",
            y_label="participants",
            color=charts.PALETTE[4],
        ),
        "utilisation": charts.column_chart(
            [(f"{_local(u['start_dt'], zone):%H:%M}", u["rate"]) for u in util],
            title="Table utilisation per slot",
            max_value=1.0,
            percent=True,
            x_label="slot start",
            plot_width=max(240, min(720, 24 * len(util))),
        ),
        "heatmap": charts.heatmap(
            [
                (row["table"], [i in set(row["slots"]) for i in range(n_slots)])
                for row in stats["tables"]["occupancy"]
            ],
            slot_labels,
            title="Tables x slots",
        ),
    }
    return render_template("pages/stats.html", event=event, stats=stats, figures=figures)
