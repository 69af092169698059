"""On the day: held, no-show, cancel, feedback, the meeting list and pinning before re-solve."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.meetings.operations import pin_started_meetings
from api.models import Event, Job, Meeting, MeetingPlacement
from tests.api.published_event import PublishedEvent, published_event


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=16, meetings_each=2, reuse=True)


def _org(demo: PublishedEvent) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo.organiser_key}"}


def _first_meeting() -> Meeting:
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    assert meeting is not None
    return meeting


def _post(
    client: FlaskClient, demo: PublishedEvent, meeting_id: int, action: str, **kw: Any
) -> Any:
    return client.post(
        f"/api/v1/events/{demo.event_id}/meetings/{meeting_id}/{action}",
        headers=kw.pop("headers", _org(demo)),
        **kw,
    )


def test_meetings_list_shows_published_slot_and_table(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    response = client.get(f"/api/v1/events/{demo.event_id}/meetings", headers=_org(demo))
    assert response.status_code == 200
    assert response.json
    assert all(row["start_dt"] and row["table"] for row in response.json)


def test_marking_held_pins_the_meeting(client: FlaskClient, demo: PublishedEvent) -> None:
    meeting = _first_meeting()
    response = _post(client, demo, meeting.id, "held")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "held"
    assert response.json["is_pinned"] is True


def test_no_show_then_cancel_is_refused(client: FlaskClient, demo: PublishedEvent) -> None:
    meeting = _first_meeting()
    assert _post(client, demo, meeting.id, "no-show").json["status"] == "no_show"
    assert _post(client, demo, meeting.id, "cancel").status_code == 409


def test_cancel_frees_the_meeting(client: FlaskClient, demo: PublishedEvent) -> None:
    meeting = _first_meeting()
    response = _post(client, demo, meeting.id, "cancel")
    assert response.json["status"] == "cancelled"
    assert _post(client, demo, meeting.id, "cancel").status_code == 409


def test_each_side_writes_their_own_feedback(
    client: FlaskClient, demo: PublishedEvent, participant_factory: Any
) -> None:
    meeting = _first_meeting()
    meeting.status = "held"
    db.session.commit()
    # Participants only know their own token; the organiser may not write for them.
    response = _post(client, demo, meeting.id, "feedback", json={"text": "Great"})
    assert response.status_code == 403


def test_feedback_needs_a_held_meeting(app: Flask, demo: PublishedEvent) -> None:
    from api.exceptions import Conflict
    from api.meetings.operations import write_feedback
    from api.models import Participant

    meeting = _first_meeting()
    person = db.session.get(Participant, meeting.participant_b_id)
    assert person is not None
    with pytest.raises(Conflict):
        write_feedback(meeting, person, "Too early")
    meeting.status = "held"
    write_feedback(meeting, person, "Useful contact")
    assert (meeting.feedback_a, meeting.feedback_b) == ("", "Useful contact")


def test_started_meetings_are_pinned_before_a_re_solve(app: Flask, demo: PublishedEvent) -> None:
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    placements = list(
        db.session.scalars(
            select(MeetingPlacement)
            .where(MeetingPlacement.version_id == demo.version_id)
            .order_by(MeetingPlacement.start_dt)
        )
    )
    cutoff = placements[len(placements) // 2].start_dt
    pin_started_meetings(event, at=cutoff + timedelta(minutes=1))
    started = {p.meeting_id for p in placements if p.start_dt <= cutoff + timedelta(minutes=1)}
    for meeting in db.session.scalars(select(Meeting)):
        assert meeting.is_pinned == (meeting.id in started)


def test_re_solve_queues_a_meetings_job(client: FlaskClient, demo: PublishedEvent) -> None:
    solver = pytest.importorskip("scheduler.meetings")
    if not hasattr(solver, "solve"):
        pytest.skip("the meeting scheduler is not available in this tree")
    response = client.post(
        f"/api/v1/events/{demo.event_id}/meetings/re-solve", json={}, headers=_org(demo)
    )
    assert response.status_code == 202, response.json
    job = db.session.get(Job, response.json["id"])
    assert job is not None and job.kind == "meetings"
