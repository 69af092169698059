"""Meetings and participants as CSV and XLSX tables for organisers' spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import select

from api.extensions import db
from api.meetings.operations import meeting_rows
from api.models import Event, Participant

MEETING_COLUMNS = (
    "meeting_id",
    "status",
    "day",
    "start",
    "end",
    "table",
    "online_url",
    "participant_a",
    "organisation_a",
    "country_a",
    "participant_b",
    "organisation_b",
    "country_b",
)
PARTICIPANT_COLUMNS = (
    "participant_id",
    "first_name",
    "last_name",
    "email",
    "role",
    "attendance",
    "organisation",
    "organisation_type",
    "country",
    "region",
    "interests",
    "registered",
)
# A cell starting with one of these is a formula to a spreadsheet program.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def meeting_table(event: Event) -> tuple[Sequence[str], list[list[Any]]]:
    zone = ZoneInfo(event.timezone)
    countries = dict(
        (p.id, p.organisation.country)
        for p in db.session.scalars(select(Participant).where(Participant.event_id == event.id))
    )
    rows = []
    for m in meeting_rows(event):
        start = m["start_dt"].astimezone(zone) if m["start_dt"] else None
        end = m["end_dt"].astimezone(zone) if m["end_dt"] else None
        rows.append(
            [
                m["id"],
                m["status"],
                start.date().isoformat() if start else "",
                start.strftime("%H:%M") if start else "",
                end.strftime("%H:%M") if end else "",
                m["table"] or "",
                m["online_url"] or "",
                m["participant_a"],
                m["organisation_a"],
                countries.get(m["participant_a_id"], ""),
                m["participant_b"],
                m["organisation_b"],
                countries.get(m["participant_b_id"], ""),
            ]
        )
    rows.sort(key=lambda r: (r[2] == "", r[2], r[3], r[5], r[0]))
    return MEETING_COLUMNS, rows


def participant_table(event: Event) -> tuple[Sequence[str], list[list[Any]]]:
    people = db.session.scalars(
        select(Participant).where(Participant.event_id == event.id).order_by(Participant.id)
    )
    rows = [
        [
            p.id,
            p.first_name,
            p.last_name,
            p.email,
            p.role,
            p.attendance,
            p.organisation.name,
            p.organisation.type,
            p.organisation.country,
            p.organisation.region,
            "; ".join(sorted(t.label for t in p.interests)),
            p.created_dt.date().isoformat(),
        ]
        for p in people
    ]
    return PARTICIPANT_COLUMNS, rows


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: Sequence[str], rows: list[list[Any]]) -> str:
    """UTF-8 CSV with a header; text that a spreadsheet would run as a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[_safe_text(v) for v in row] for row in rows])
    return out.getvalue()


def to_xlsx(columns: Sequence[str], rows: list[list[Any]], title: str) -> bytes:
    """One sheet, bold frozen header, filters; every text cell stays text, never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Control characters stored before input refused them would make openpyxl
        # raise for every export from then on (issue 17.7): drop them here.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(columns, start=1):
        width = max([len(name)] + [len(str(r[index - 1])) for r in rows[:500]])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(50, width + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
