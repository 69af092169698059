"""Online meetings get a video link only when MEETING_LINK_TEMPLATE says how to make one."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from api.config import load_config, meeting_link_template
from api.extensions import db
from api.models import Event, Job, Meeting, MeetingPlacement
from api.solving.execute import run_job
from tests.integration.factories import meeting_event


def _solve_online_meeting(app: Flask) -> tuple[Event, MeetingPlacement]:
    event_id, _ = meeting_event(participants=2, meetings_each=1, tables=0)
    event = db.session.get(Event, event_id)
    assert event is not None
    event.is_online_allowed = True
    for meeting in db.session.scalars(select(Meeting).where(Meeting.event_id == event_id)):
        meeting.is_online = True
    job = Job(event_id=event_id, kind="meetings", params={"time_limit": 10, "workers": 1})
    db.session.add(job)
    db.session.commit()
    assert run_job(job.id) == "succeeded"
    placement = db.session.scalars(select(MeetingPlacement)).one()
    assert placement.table_id is None
    return event, placement


def test_without_a_template_online_meetings_have_no_link(sqlite_app: Flask) -> None:
    assert sqlite_app.config["MEETING_LINK_TEMPLATE"] is None
    _event, placement = _solve_online_meeting(sqlite_app)
    assert placement.online_url is None


def test_the_template_makes_the_link(sqlite_app: Flask) -> None:
    sqlite_app.config["MEETING_LINK_TEMPLATE"] = (
        "https://video.example.org/{event_slug}/{meeting_id}"
    )
    event, placement = _solve_online_meeting(sqlite_app)
    assert placement.online_url == f"https://video.example.org/{event.slug}/{placement.meeting_id}"


def test_the_template_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: str
) -> None:
    monkeypatch.setenv("CLUSTERMEET_MEETING_LINK_TEMPLATE", "https://v.example.org/{event_id}")
    assert load_config(str(tmp_path))["MEETING_LINK_TEMPLATE"] == "https://v.example.org/{event_id}"
    monkeypatch.delenv("CLUSTERMEET_MEETING_LINK_TEMPLATE")
    assert load_config(str(tmp_path))["MEETING_LINK_TEMPLATE"] is None


def test_a_template_with_an_unknown_field_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="meeting_id"):
        meeting_link_template("https://video.example.org/{room}")
