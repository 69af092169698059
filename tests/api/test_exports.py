"""Meetings and participants as CSV and XLSX: they open and round-trip."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from api.extensions import db
from api.models import Meeting, Participant
from api.outputs.tables import MEETING_COLUMNS, PARTICIPANT_COLUMNS, to_csv, to_xlsx
from scheduler.meetings import SolveOptions, solve, validate
from scheduler.meetings.json_format import instance_from_dict
from tests.api.published_event import PublishedEvent, published_event


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=20, meetings_each=2, reuse=True)


def _get(client: FlaskClient, demo: PublishedEvent, name: str) -> bytes:
    response = client.get(
        f"/api/v1/events/{demo.event_id}/exports/{name}",
        headers={"Authorization": f"Bearer {demo.organiser_key}"},
    )
    assert response.status_code == 200, response.data[:300]
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with a BOM
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_meetings_csv_has_one_row_per_meeting(client: FlaskClient, demo: PublishedEvent) -> None:
    rows = _csv_rows(_get(client, demo, "meetings.csv"))
    assert len(rows) == db.session.scalar(select(func.count(Meeting.id)))
    assert tuple(rows[0]) == MEETING_COLUMNS
    assert all(row["table"] for row in rows if row["status"] == "scheduled")


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def test_meetings_xlsx_matches_the_csv(client: FlaskClient, demo: PublishedEvent) -> None:
    from_csv = list(csv.reader(io.StringIO(_get(client, demo, "meetings.csv").decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(_get(client, demo, "meetings.xlsx"))).active
    assert sheet is not None
    from_xlsx = [[_as_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    # openpyxl reads a date cell back as a midnight datetime.
    from_xlsx = [[v.removesuffix(" 00:00") for v in row] for row in from_xlsx]
    assert from_xlsx == from_csv


def test_xlsx_dates_and_times_are_real_dates(client: FlaskClient, demo: PublishedEvent) -> None:
    sheet = load_workbook(io.BytesIO(_get(client, demo, "meetings.xlsx"))).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    scheduled = [
        row
        for row in sheet.iter_rows(min_row=2)
        if row[header.index("status")].value == "scheduled"
    ]
    assert scheduled
    for row in scheduled:
        day, start = row[header.index("day")], row[header.index("start")]
        assert day.is_date and isinstance(day.value, datetime), day.value
        assert day.number_format == "yyyy-mm-dd"
        assert start.is_date and isinstance(start.value, time), start.value
        assert start.number_format == "hh:mm"
    people = load_workbook(io.BytesIO(_get(client, demo, "participants.xlsx"))).active
    assert people is not None
    registered = people.cell(2, PARTICIPANT_COLUMNS.index("registered") + 1)
    assert isinstance(registered.value, datetime)
    assert registered.number_format == "yyyy-mm-dd hh:mm"


def test_csv_with_semicolons_on_request(client: FlaskClient, demo: PublishedEvent) -> None:
    data = _get(client, demo, "participants.csv?delimiter=semicolon").decode("utf-8-sig")
    assert data.splitlines()[0] == ";".join(PARTICIPANT_COLUMNS)
    response = client.get(
        f"/api/v1/events/{demo.event_id}/exports/participants.csv?delimiter=colon",
        headers={"Authorization": f"Bearer {demo.organiser_key}"},
    )
    assert response.status_code == 422
    assert "delimiter" in response.json["errors"]["query"]


def test_csv_keeps_accents_and_chinese_names() -> None:
    data = to_csv(("name",), [["Lucía Muñoz"], ["陳美玲"]]).encode()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["name", "Lucía Muñoz", "陳美玲"]


def test_participants_xlsx_lists_everyone(client: FlaskClient, demo: PublishedEvent) -> None:
    sheet = load_workbook(io.BytesIO(_get(client, demo, "participants.xlsx"))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == PARTICIPANT_COLUMNS
    emails = {row[3] for row in rows[1:]}
    assert emails == set(db.session.scalars(select(Participant.email)))


def test_participants_csv_is_for_the_organiser(client: FlaskClient, demo: PublishedEvent) -> None:
    url = f"/api/v1/events/{demo.event_id}/exports/participants.csv"
    assert client.get(url).status_code == 401


def test_formulas_stay_text() -> None:
    rows = [['=HYPERLINK("http://evil")', 3, "Ana"]]
    columns = ("a", "b", "c")
    assert "'=HYPERLINK" in to_csv(columns, rows)
    sheet = load_workbook(io.BytesIO(to_xlsx(columns, rows, "x"))).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil")'
    assert sheet["B2"].value == 3


def test_meetings_instance_solves_offline(client: FlaskClient, demo: PublishedEvent) -> None:
    url = f"/api/v1/events/{demo.event_id}/meetings-instance.json"
    response = client.get(url, headers={"Authorization": f"Bearer {demo.organiser_key}"})
    assert response.status_code == 200
    instance = instance_from_dict(response.json)
    accepted = db.session.scalar(
        select(func.count(Meeting.id)).where(Meeting.status.in_(("accepted", "scheduled")))
    )
    assert len(instance.meetings) == accepted
    assert instance.fairness_excludes_forced
    assert not instance.previous  # a fresh solve, not a re-solve of the published version
    # 39 meetings: proven optimal in about a second; the limit only matters on a busy machine.
    result = solve(instance, SolveOptions(time_limit_s=120, workers=1))
    assert validate(instance, result) == []
    assert len(result.assignments) == accepted
    assert client.get(url).status_code == 401
