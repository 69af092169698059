"""The funders' report workbook: its figures agree with the event's own data."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from api.extensions import db
from api.meetings.operations import write_feedback
from api.models import Meeting, MeetingRequest, Participant
from tests.api.published_event import PublishedEvent, published_event


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=20, meetings_each=2, reuse=True)


def _report(client: FlaskClient, demo: PublishedEvent) -> Any:
    response = client.get(
        f"/api/v1/events/{demo.event_id}/exports/report.xlsx",
        headers={"Authorization": f"Bearer {demo.organiser_key}"},
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-report.xlsx"')
    return load_workbook(io.BytesIO(response.data))


def _section(sheet: Any, title: str) -> list[tuple[Any, ...]]:
    rows = [tuple(v for v in row if v is not None) for row in sheet.iter_rows(values_only=True)]
    start = rows.index((title,)) + 2  # skip the title and the column names
    end = next((i for i in range(start, len(rows)) if not rows[i]), len(rows))
    return rows[start:end]


def _key_figures(sheet: Any) -> dict[str, Any]:
    """Label -> value for the rows with exactly a label and one value."""
    figures = {}
    for row in sheet.iter_rows(values_only=True):
        values = [v for v in row if v is not None]
        if len(values) == 2 and isinstance(values[0], str):
            figures[values[0].strip()] = values[1]
    return figures


def test_the_report_counts_what_happened(client: FlaskClient, demo: PublishedEvent) -> None:
    meetings = list(db.session.scalars(select(Meeting).order_by(Meeting.id)))
    headers = {"Authorization": f"Bearer {demo.organiser_key}"}
    base = f"/api/v1/events/{demo.event_id}/meetings"
    for meeting, outcome in zip(meetings[:3], ("held", "held", "no-show"), strict=True):
        assert client.post(f"{base}/{meeting.id}/{outcome}", headers=headers).status_code == 200
    db.session.expire_all()
    held = db.session.get(Meeting, meetings[0].id)
    assert held is not None
    write_feedback(held, held.participant_a, "Found a supplier")
    assert client.post(f"{base}/{meetings[3].id}/cancel", headers=headers).status_code == 200
    db.session.commit()

    workbook = _report(client, demo)
    assert workbook.sheetnames == ["Summary", "Meetings by country"]
    figures = _key_figures(workbook["Summary"])
    people = list(db.session.scalars(select(Participant)))
    statuses = Counter(db.session.scalars(select(Meeting.status)))
    assert figures["Participants"] == len(people)
    assert figures["Countries"] == len({p.organisation.country for p in people})
    assert figures["Meetings held"] == 2 == statuses["held"]
    assert figures["No-shows"] == 1
    assert figures["Meetings cancelled"] == 1
    assert figures["Meetings with feedback"] == 1
    assert figures["Feedback rate (of meetings held)"] == 0.5
    assert figures["Meetings arranged"] == len(meetings) - 1
    assert figures["Meetings scheduled (published schedule)"] == sum(
        statuses[s] for s in ("scheduled", "held", "no_show")
    )
    assert figures["Meeting requests"] == len(db.session.scalars(select(MeetingRequest)).all())

    by_country = _section(workbook["Summary"], "Participants by country")
    assert sum(row[2] for row in by_country) == len(people)
    codes = Counter(p.organisation.country for p in people)
    assert {row[1]: row[2] for row in by_country} == dict(codes)
    by_type = _section(workbook["Summary"], "Participants by organisation type")
    assert sum(row[1] for row in by_type) == len(people)

    pairs = list(workbook["Meetings by country"].iter_rows(min_row=2, values_only=True))
    assert sum(row[2] for row in pairs) == len(meetings) - 1
    # Shared with funders: no names or e-mail addresses anywhere.
    text = " ".join(
        str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row
    )
    assert not any(p.email in text or p.full_name in text for p in people)


def test_the_report_is_for_the_organiser(client: FlaskClient, demo: PublishedEvent) -> None:
    url = f"/api/v1/events/{demo.event_id}/exports/report.xlsx"
    assert client.get(url).status_code == 401
