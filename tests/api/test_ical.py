"""The personal iCalendar feed: times in the right zone, stable UIDs, who may read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    MeetingSeat,
    MeetingTable,
    Room,
    Session,
    SignUp,
)
from api.schedules.operations import new_version
from tests.api.conftest import ANONYMOUS_HEADERS, Caller
from tests.api.test_agenda_job import publish, run_agenda_job

BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass
class Setup:
    event: Event
    ana: Caller  # in Asia/Taipei
    ben: Caller
    chloe: Caller
    table_meeting: Meeting
    online_meeting: Meeting
    session: Session

    def url(self, participant: Caller) -> str:
        return f"/api/v1/events/{self.event.id}/participants/{participant.id}/agenda.ics"


def publish_meetings(
    client: FlaskClient, setup: Setup, organiser: Caller, table_start: datetime
) -> None:
    """A published meetings schedule, written directly (the solver is tested elsewhere)."""
    event = setup.event
    table = db.session.scalar(select(MeetingTable).where(MeetingTable.event_id == event.id))
    if table is None:
        table = MeetingTable(event_id=event.id, name="Table 7")
        db.session.add(table)
    version = new_version(event, "meetings", None)
    rows = [
        (setup.table_meeting, table_start, table.id, None),
        (
            setup.online_meeting,
            datetime(2027, 3, 10, 14, 30, tzinfo=BRUSSELS),
            None,
            "https://meet.example/abc",
        ),
    ]
    db.session.flush()
    for meeting, start, table_id, url in rows:
        placement = MeetingPlacement(
            version_id=version.id,
            meeting_id=meeting.id,
            slot=0,
            start_dt=start,
            end_dt=start + timedelta(minutes=30),
            table_id=table_id,
            online_url=url,
        )
        placement.seats = [
            MeetingSeat(version_id=version.id, participant_id=pid, start_dt=start)
            for pid in (meeting.participant_a_id, meeting.participant_b_id)
        ]
        db.session.add(placement)
    db.session.commit()
    publish(client, event.id, version.id, organiser.headers)


@pytest.fixture
def setup(
    client: FlaskClient,
    event: dict[str, Any],
    participant_factory: Any,
    organiser: Caller,
) -> Setup:
    row = db.session.get(Event, event["id"])
    assert row is not None
    ana = participant_factory(timezone="Asia/Taipei")
    ben, chloe = participant_factory(), participant_factory()
    meetings = [
        Meeting(event_id=row.id, participant_a_id=ana.id, participant_b_id=b, status="accepted")
        for b in (ben.id, chloe.id)
    ]
    room = Room(event_id=row.id, name="Room Danube", capacity=80, features=[])
    session = Session(event_id=row.id, title="Funding workshop", kind="workshop", length_min=60)
    db.session.add_all([*meetings, room, session])
    db.session.flush()
    db.session.add(SignUp(session_id=session.id, participant_id=ana.id, kind="attend"))
    db.session.commit()
    result = run_agenda_job(row.id)
    publish(client, row.id, result.result["version_id"], organiser.headers)
    built = Setup(row, ana, ben, chloe, meetings[0], meetings[1], session)
    publish_meetings(client, built, organiser, datetime(2027, 3, 10, 10, 0, tzinfo=BRUSSELS))
    return built


def events_by_uid(body: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(body)
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


def test_feed_has_meetings_and_sessions_in_the_participants_zone(
    client: FlaskClient, setup: Setup
) -> None:
    response = client.get(setup.url(setup.ana), headers=setup.ana.headers)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Taipei"]
    slug = setup.event.slug
    events = events_by_uid(response.data)
    meeting_uid = f"meeting-{setup.table_meeting.id}@{slug}.clustermeet"
    online_uid = f"meeting-{setup.online_meeting.id}@{slug}.clustermeet"
    session_uid = f"session-{setup.session.id}@{slug}.clustermeet"
    assert set(events) == {meeting_uid, online_uid, session_uid}

    at_table = events[meeting_uid]
    start = at_table.decoded("DTSTART")
    assert at_table["DTSTART"].params["TZID"] == "Asia/Taipei"
    assert start == datetime(2027, 3, 10, 10, 0, tzinfo=BRUSSELS)  # the same instant
    assert (start.hour, start.minute) == (17, 0)  # Taipei wall clock
    assert at_table.decoded("DTEND") - start == timedelta(minutes=30)
    assert str(at_table["LOCATION"]) == "Table 7"
    assert "Ruiz" in str(at_table["SUMMARY"])
    assert at_table.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert "SEQUENCE" in at_table

    online = events[online_uid]
    assert str(online["URL"]) == "https://meet.example/abc"
    assert str(online["LOCATION"]) == "Online: https://meet.example/abc"
    assert online.decoded("DTSTART") == datetime(2027, 3, 10, 14, 30, tzinfo=BRUSSELS)

    session = events[session_uid]
    db.session.refresh(setup.session)
    assert setup.session.start_dt is not None
    assert session.decoded("DTSTART") == setup.session.start_dt
    assert session.decoded("DTEND") - session.decoded("DTSTART") == timedelta(minutes=60)
    assert str(session["LOCATION"]) == "Room Danube"


def test_participant_without_zone_gets_the_events_zone(client: FlaskClient, setup: Setup) -> None:
    response = client.get(setup.url(setup.ben), headers=setup.ben.headers)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    (meeting,) = calendar.walk("VEVENT")
    assert meeting["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert meeting.decoded("DTSTART").hour == 10


def test_uids_are_stable_and_a_move_raises_the_sequence(
    client: FlaskClient, setup: Setup, organiser: Caller
) -> None:
    first = client.get(setup.url(setup.ana), headers=setup.ana.headers).data
    again = client.get(setup.url(setup.ana), headers=setup.ana.headers).data
    assert first == again
    before = events_by_uid(first)

    publish_meetings(client, setup, organiser, datetime(2027, 3, 10, 11, 0, tzinfo=BRUSSELS))
    after = events_by_uid(client.get(setup.url(setup.ana), headers=setup.ana.headers).data)
    assert set(after) == set(before)
    uid = f"meeting-{setup.table_meeting.id}@{setup.event.slug}.clustermeet"
    assert after[uid].decoded("DTSTART") == datetime(2027, 3, 10, 11, 0, tzinfo=BRUSSELS)
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])


def test_who_may_read_a_feed(
    client: FlaskClient, setup: Setup, organiser: Caller, organiser_factory: Any
) -> None:
    url = setup.url(setup.ana)
    assert client.get(url, headers=organiser.headers).status_code == 200
    assert client.get(url, headers=setup.ben.headers).status_code == 403
    assert client.get(url, headers=ANONYMOUS_HEADERS).status_code == 401
    other: Caller = organiser_factory("Someone else")
    assert client.get(url, headers=other.headers).status_code == 403


def test_tokens_in_the_url_are_refused(client: FlaskClient, setup: Setup) -> None:
    url = setup.url(setup.ana)
    response = client.get(f"{url}?token={setup.ana.token}")
    assert response.status_code == 401
    assert "feed link" in response.json["message"]


def test_calendar_apps_subscribe_with_the_feed_link(client: FlaskClient, setup: Setup) -> None:
    link = client.get(
        f"/api/v1/events/{setup.event.id}/participants/{setup.ana.id}/feed",
        headers=setup.ana.headers,
    )
    assert link.status_code == 200, link.json
    path = "/" + link.json["urls"]["calendar"].split("/", 3)[3]
    response = client.get(path)
    assert response.status_code == 200
    assert len(events_by_uid(response.data)) == 3
    assert client.get(path.replace("/feeds/cmf_", "/feeds/cmf_x")).status_code == 404
