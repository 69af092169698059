"""Meetings and participants as CSV and XLSX tables for organisers' spreadsheets.

The participants table has the import's columns (tags by label, lists separated by ``;``,
availability in the event's time zone), so an export re-imports into another event.
CSV starts with a UTF-8 byte-order mark, so Excel shows "Lucía" and Chinese names right;
XLSX cells hold real dates and times, not text.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import select

from api.events.slots import event_bounds
from api.extensions import db
from api.meetings.operations import meeting_rows
from api.models import Event, Opportunity, Participant
from api.models.enums import OpportunityKind
from api.registration.participant_import import LIST_SEPARATOR

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
    "timezone",
    "languages",
    "group",
    "organisation",
    "organisation_type",
    "country",
    "region",
    "sectors",
    "website",
    "interests",
    "offers",
    "requests",
    "availability",
    "description",
    "registered",
)
BOM = "\ufeff"
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
_JOIN = f"{LIST_SEPARATOR} "
_NUMBER_FORMATS = {datetime: "yyyy-mm-dd hh:mm", date: "yyyy-mm-dd", time: "hh:mm"}
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
                start.date() if start else "",
                start.time().replace(tzinfo=None) if start else "",
                end.time().replace(tzinfo=None) if end else "",
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
    rows.sort(key=lambda r: (r[2] == "", str(r[2]), str(r[3]), r[5], r[0]))
    return MEETING_COLUMNS, rows


def _titles(event: Event) -> dict[tuple[int, str], list[str]]:
    titles: dict[tuple[int, str], list[str]] = defaultdict(list)
    for item in db.session.scalars(
        select(Opportunity).where(Opportunity.event_id == event.id).order_by(Opportunity.id)
    ):
        titles[(item.participant_id, item.kind)].append(item.title)
    return titles


def _windows_text(windows: list[Any], zone: ZoneInfo, bounds: tuple[datetime, datetime]) -> str:
    """The windows as the import reads them, cut to the event's days (the part that can
    be scheduled); one that crosses midnight names its end day too."""
    texts = []
    for window in windows:
        start, end = max(window.start_dt, bounds[0]), min(window.end_dt, bounds[1])
        if end <= start:
            continue
        start, end = start.astimezone(zone), end.astimezone(zone)
        end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
        texts.append(f"{start:%Y-%m-%d %H:%M}-{end_text}")
    return _JOIN.join(texts)


def participant_table(event: Event) -> tuple[Sequence[str], list[list[Any]]]:
    zone = ZoneInfo(event.timezone)
    bounds = event_bounds(event)
    titles = _titles(event)
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
            p.timezone or "",
            _JOIN.join(p.languages or []),
            p.group,
            p.organisation.name,
            p.organisation.type,
            p.organisation.country,
            p.organisation.region,
            _JOIN.join(sorted(t.label for t in p.organisation.tags)),
            p.organisation.website,
            _JOIN.join(sorted(t.label for t in p.interests)),
            _JOIN.join(titles[(p.id, OpportunityKind.OFFER)]),
            _JOIN.join(titles[(p.id, OpportunityKind.REQUEST)]),
            _windows_text(p.availability, zone, bounds),
            p.description,
            p.created_dt.astimezone(zone).replace(tzinfo=None, microsecond=0),
        ]
        for p in people
    ]
    return PARTICIPANT_COLUMNS, rows


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: Sequence[str], rows: list[list[Any]], delimiter: str = ",") -> str:
    """CSV with a BOM and a header; text a spreadsheet would run as a formula is quoted."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows([[_csv_value(v) for v in row] for row in rows])
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
            elif type(cell.value) in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[type(cell.value)]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(columns, start=1):
        width = max([len(name)] + [len(str(r[index - 1])) for r in rows[:500]])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(50, width + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
