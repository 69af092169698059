"""The funders' report: one XLSX workbook with the figures a programme officer asks for.

The "Summary" sheet opens with the event and the key figures (participants, countries,
requests and acceptance, meetings arranged, scheduled, held, no-shows, feedback), then
participants by country, organisation type and sector. "Meetings by country" counts the
meetings between each pair of countries (cross-border matchmaking is what such events
are funded for). No names, e-mail addresses or feedback texts: the report is shared.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pycountry
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select

from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    Organisation,
    Participant,
    Session,
)
from api.models.enums import MeetingStatus, RequestStatus, ScheduleKind
from api.models.types import now_utc
from api.outputs.stats import event_stats
from api.schedules.operations import published_version

_BOLD = Font(bold=True)
_HEADING = Font(bold=True, size=13)
_PERCENT = "0.0%"


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code


def _scheduled_meetings(event: Event) -> list[Meeting]:
    """Meetings in the published schedule that were not cancelled afterwards."""
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is None:
        return []
    return list(
        db.session.scalars(
            select(Meeting)
            .join(MeetingPlacement, MeetingPlacement.meeting_id == Meeting.id)
            .where(
                MeetingPlacement.version_id == version.id,
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .order_by(Meeting.id)
        )
    )


def report_figures(event: Event) -> dict[str, Any]:
    """Every figure of the report, as plain data (the workbook is one rendering of it)."""
    stats = event_stats(event)
    requests = stats["requests"]["by_status"]
    meetings = stats["meetings"]
    countries = dict(
        db.session.execute(
            select(Participant.id, Organisation.country)
            .join(Organisation, Organisation.id == Participant.organisation_id)
            .where(Participant.event_id == event.id)
        ).all()
    )
    organisations = db.session.scalar(
        select(func.count(Organisation.id)).where(Organisation.event_id == event.id)
    )
    scheduled = _scheduled_meetings(event)
    pairs: Counter[tuple[str, str]] = Counter()
    for meeting in db.session.scalars(
        select(Meeting).where(
            Meeting.event_id == event.id, Meeting.status != MeetingStatus.CANCELLED
        )
    ):
        a, b = (countries.get(pid, "") for pid in meeting.pair_ids())
        pairs[(min(a, b), max(a, b))] += 1
    outcome = [m for m in scheduled if m.status in (MeetingStatus.HELD, MeetingStatus.NO_SHOW)]
    feedback = [m for m in outcome if m.feedback_a or m.feedback_b]
    arranged = sum(pairs.values())
    cross_border = sum(n for (a, b), n in pairs.items() if a != b)
    sessions = db.session.scalar(select(func.count(Session.id)).where(Session.event_id == event.id))
    return {
        "participants": stats["registrations"]["total"],
        "organisations": organisations or 0,
        "countries": len(set(countries.values())),
        "online_participants": db.session.scalar(
            select(func.count(Participant.id)).where(
                Participant.event_id == event.id, Participant.attendance == "online"
            )
        )
        or 0,
        "sessions": sessions or 0,
        "requests": stats["requests"]["total"],
        "requests_accepted": requests.get(RequestStatus.ACCEPTED, 0),
        "requests_declined": requests.get(RequestStatus.DECLINED, 0),
        "requests_pending": requests.get(RequestStatus.PENDING, 0),
        "requests_expired": requests.get(RequestStatus.EXPIRED, 0),
        "requests_cancelled": requests.get(RequestStatus.CANCELLED, 0),
        "acceptance_rate": stats["requests"]["acceptance_rate"],
        "meetings_arranged": arranged,
        "meetings_cross_border": cross_border,
        "meetings_scheduled": len(scheduled),
        "meetings_held": meetings["held"],
        "meetings_no_show": meetings["no_shows"],
        "meetings_cancelled": meetings["cancelled"],
        "meetings_with_feedback": len(feedback),
        "feedback_rate": round(len(feedback) / meetings["held"], 3) if meetings["held"] else None,
        "by_country": [
            (country_name(row["label"]), row["label"], row["count"])
            for row in stats["registrations"]["by_country"]
        ],
        "by_type": [(row["label"], row["count"]) for row in stats["registrations"]["by_type"]],
        "by_sector": [(row["label"], row["count"]) for row in stats["registrations"]["by_sector"]],
        "country_pairs": sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])),
    }


_KEY_FIGURES = (
    ("Participants", "participants", None),
    ("Organisations", "organisations", None),
    ("Countries", "countries", None),
    ("Participants online", "online_participants", None),
    ("Sessions in the programme", "sessions", None),
    ("Meeting requests", "requests", None),
    ("  accepted", "requests_accepted", None),
    ("  declined", "requests_declined", None),
    ("  pending", "requests_pending", None),
    ("  expired", "requests_expired", None),
    ("  cancelled", "requests_cancelled", None),
    ("Acceptance rate (accepted / answered)", "acceptance_rate", _PERCENT),
    ("Meetings arranged", "meetings_arranged", None),
    ("  across borders", "meetings_cross_border", None),
    ("Meetings scheduled (published schedule)", "meetings_scheduled", None),
    ("Meetings held", "meetings_held", None),
    ("No-shows", "meetings_no_show", None),
    ("Meetings cancelled", "meetings_cancelled", None),
    ("Meetings with feedback", "meetings_with_feedback", None),
    ("Feedback rate (of meetings held)", "feedback_rate", _PERCENT),
)


def _table(sheet: Worksheet, title: str, header: tuple[str, ...], rows: list[Any]) -> None:
    sheet.append([])
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = _HEADING
    sheet.append(list(header))
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    for row in rows:
        sheet.append(list(row))
    if not rows:
        sheet.append(["(none)"])


def funders_report(event: Event, now: datetime | None = None) -> bytes:
    figures = report_figures(event)
    zone = ZoneInfo(event.timezone)
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Summary"
    summary.append([event.name])
    summary.cell(1, 1).font = Font(bold=True, size=15)
    summary.append(["Dates", event.start_date, event.end_date])
    summary.append(["Venue", event.venue or ""])
    summary.append(
        ["Report made", (now or now_utc()).astimezone(zone).replace(tzinfo=None, microsecond=0)]
    )
    for row in summary.iter_rows(min_row=2, max_row=4):
        for cell in row[1:]:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = "yyyy-mm-dd"
    summary.append([])
    summary.append(["Key figures"])
    summary.cell(summary.max_row, 1).font = _HEADING
    for label, key, number_format in _KEY_FIGURES:
        summary.append([label, figures[key]])
        if number_format:
            summary.cell(summary.max_row, 2).number_format = number_format
    _table(
        summary,
        "Participants by country",
        ("Country", "Code", "Participants"),
        figures["by_country"],
    )
    _table(
        summary, "Participants by organisation type", ("Type", "Participants"), figures["by_type"]
    )
    _table(summary, "Participants by sector", ("Sector", "Participants"), figures["by_sector"])
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 14
    summary.column_dimensions["C"].width = 14

    pairs = workbook.create_sheet("Meetings by country")
    pairs.append(["Country", "Country", "Meetings arranged"])
    for cell in pairs[1]:
        cell.font = _BOLD
    for (a, b), count in figures["country_pairs"]:
        pairs.append([country_name(a), country_name(b), count])
    pairs.freeze_panes = "A2"
    for column in "ABC":
        pairs.column_dimensions[column].width = 28
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
