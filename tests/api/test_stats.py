"""Organiser statistics: the figures, on a published demo event."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Meeting, MeetingRequest
from api.outputs.stats import breaks_of
from tests.api.published_event import PublishedEvent, published_event


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=30, meetings_each=3, reuse=True)


def _stats(client: FlaskClient, demo: PublishedEvent) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/events/{demo.event_id}/stats",
        headers={"Authorization": f"Bearer {demo.organiser_key}"},
    )
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("slots", "breaks"), [([], 0), ([3], 0), ([1, 2, 3], 0), ([1, 3], 1), ([0, 2, 3, 7], 2)]
)
def test_breaks_are_runs_of_idle_slots_between_meetings(slots: list[int], breaks: int) -> None:
    assert breaks_of(slots) == breaks


def test_registrations_add_up(client: FlaskClient, demo: PublishedEvent) -> None:
    stats = _stats(client, demo)
    registrations = stats["registrations"]
    assert registrations["total"] == 30
    assert sum(r["count"] for r in registrations["by_country"]) == 30
    assert sum(r["count"] for r in registrations["by_type"]) == 30


def test_meeting_outcomes_and_acceptance_rate(client: FlaskClient, demo: PublishedEvent) -> None:
    meetings = list(db.session.scalars(select(Meeting).order_by(Meeting.id)))
    meetings[0].status = "held"
    meetings[1].status = "no_show"
    meetings[2].status = "cancelled"
    a, b, c = demo.participant_ids[:3]
    for status, (x, y) in (("accepted", (a, b)), ("accepted", (a, c)), ("declined", (b, c))):
        db.session.add(
            MeetingRequest(event_id=demo.event_id, requester_id=x, invitee_id=y, status=status)
        )
    db.session.commit()
    stats = _stats(client, demo)
    assert stats["meetings"]["held"] == 1
    assert stats["meetings"]["no_shows"] == 1
    assert stats["meetings"]["cancelled"] == 1
    assert stats["meetings"]["scheduled"] == len(meetings) - 3
    assert stats["requests"]["total"] == 3
    assert stats["requests"]["acceptance_rate"] == pytest.approx(2 / 3, abs=0.001)


def test_table_utilisation_matches_the_schedule(client: FlaskClient, demo: PublishedEvent) -> None:
    stats = _stats(client, demo)
    tables = stats["tables"]
    used = sum(row["used"] for row in tables["utilisation_per_slot"])
    assert used == sum(len(row["slots"]) for row in tables["occupancy"])
    assert used > 0
    assert all(0 <= row["rate"] <= 1 for row in tables["utilisation_per_slot"])
    histogram = stats["breaks"]["histogram"]
    assert stats["breaks"]["total"] == sum(h["breaks"] * h["participants"] for h in histogram)


def test_statistics_are_for_the_organiser_only(client: FlaskClient, demo: PublishedEvent) -> None:
    assert client.get(f"/api/v1/events/{demo.event_id}/stats").status_code == 401
    page = client.get(f"/events/{demo.event_id}/stats")
    assert page.status_code == 401
