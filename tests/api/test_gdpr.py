"""GDPR: a participant's data export, and deletion that leaves no personal data behind."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import inspect, select, text

from api.extensions import db
from api.models import Meeting, OutgoingMail, Participant, ParticipantSession, WebhookDelivery
from api.webhooks.operations import create_webhook
from tests.api.published_event import PublishedEvent, published_event


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=20, meetings_each=3, reuse=True)


def _someone_with_meetings(demo: PublishedEvent) -> Participant:
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    assert meeting is not None
    return meeting.participant_a


def _organiser(demo: PublishedEvent) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo.organiser_key}"}


def test_data_export_holds_profile_and_meetings(client: FlaskClient, demo: PublishedEvent) -> None:
    person = _someone_with_meetings(demo)
    response = client.get(
        f"/api/v1/events/{demo.event_id}/participants/{person.id}/data-export",
        headers=_organiser(demo),
    )
    assert response.status_code == 200
    data = response.json
    assert data["profile"]["email"] == person.email
    assert data["organisation"]["name"] == person.organisation.name
    assert len(data["meetings"]) >= 1
    assert all(m["start_dt"] for m in data["meetings"])
    for key in ("opportunities", "availability", "requests", "signups", "feedback"):
        assert isinstance(data[key], list)


def test_data_export_is_not_for_others(client: FlaskClient, demo: PublishedEvent) -> None:
    person = _someone_with_meetings(demo)
    url = f"/api/v1/events/{demo.event_id}/participants/{person.id}/data-export"
    assert client.get(url).status_code == 401


def _all_text_in_database() -> str:
    """Every value of every row of every table, as one string."""
    chunks = []
    for table in inspect(db.engine).get_table_names():
        for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
            chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)


@pytest.mark.postgres
def test_deletion_leaves_no_personal_data(
    app: Flask, client: FlaskClient, demo: PublishedEvent
) -> None:
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = True  # a loopback target, on purpose
    from api.models import Event

    event = db.session.get(Event, demo.event_id)
    assert event is not None
    create_webhook(event, "http://127.0.0.1:9/nowhere", ["meeting.cancelled"])
    person = _someone_with_meetings(demo)
    sessions = db.session.scalars(
        select(ParticipantSession.token_hash).where(ParticipantSession.participant_id == person.id)
    )
    traces = [person.email, person.first_name + " " + person.last_name, *sessions]
    meetings = list(
        db.session.scalars(
            select(Meeting).where(
                (Meeting.participant_a_id == person.id) | (Meeting.participant_b_id == person.id)
            )
        )
    )
    assert meetings
    db.session.commit()
    response = client.delete(
        f"/api/v1/events/{demo.event_id}/participants/{person.id}", headers=_organiser(demo)
    )
    assert response.status_code == 204
    time.sleep(0.3)
    db.session.rollback()
    everything = _all_text_in_database()
    for trace in traces:
        assert trace not in everything
    assert person.last_name not in everything
    cancelled = list(db.session.scalars(select(WebhookDelivery)))
    assert {d.payload["meeting_id"] for d in cancelled} == {m.id for m in meetings}
    assert all(d.kind == "meeting.cancelled" for d in cancelled)
    assert all(person.id not in d.payload["participant_ids"] for d in cancelled)
    kept = list(db.session.scalars(select(Meeting).where(Meeting.id.in_([m.id for m in meetings]))))
    assert len(kept) == len(meetings)
    assert all(m.status == "cancelled" and m.is_orphaned for m in kept)
    assert all(person.id not in (m.participant_a_id, m.participant_b_id) for m in kept)


def test_deletion_removes_the_person_from_session_speakers(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    person = db.session.get(Participant, demo.participant_ids[0])
    assert person is not None
    name = f"{person.first_name} {person.last_name}"
    created = client.post(
        f"/api/v1/events/{demo.event_id}/sessions",
        json={
            "title": "Panel on erasure",
            "kind": "panel",
            "length_min": 45,
            "speakers": [{"participant_id": person.id}, {"name": "Guest Speaker"}],
        },
        headers=_organiser(demo),
    )
    assert created.status_code == 201, created.json
    assert name in str(created.json["speakers"])
    response = client.delete(
        f"/api/v1/events/{demo.event_id}/participants/{person.id}", headers=_organiser(demo)
    )
    assert response.status_code == 204
    session = client.get(
        f"/api/v1/events/{demo.event_id}/sessions/{created.json['id']}", headers=_organiser(demo)
    )
    assert session.status_code == 200
    assert [s["name"] for s in session.json["speakers"]] == ["Guest Speaker"]
    assert name not in _all_text_in_database()


def _erase_someone(client: FlaskClient, demo: PublishedEvent) -> tuple[Participant, list[int]]:
    """Erase a person with published meetings; returns them and their partners' ids."""
    person = _someone_with_meetings(demo)
    partners = [
        m.partner_of(person.id).id  # type: ignore[union-attr]
        for m in db.session.scalars(
            select(Meeting).where(
                (Meeting.participant_a_id == person.id) | (Meeting.participant_b_id == person.id)
            )
        )
    ]
    response = client.delete(
        f"/api/v1/events/{demo.event_id}/participants/{person.id}", headers=_organiser(demo)
    )
    assert response.status_code == 204
    db.session.expire_all()
    return person, partners


def test_deletion_keeps_the_published_version_as_it_was(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    url = f"/api/v1/events/{demo.event_id}/schedules/{demo.version_id}"
    before_version = client.get(url, headers=_organiser(demo)).json
    before = client.get(f"{url}/meetings", headers=_organiser(demo)).json
    person, _partners = _erase_someone(client, demo)
    after = client.get(f"{url}/meetings", headers=_organiser(demo))
    assert after.status_code == 200
    assert [p["meeting_id"] for p in after.json] == [p["meeting_id"] for p in before]
    assert client.get(url, headers=_organiser(demo)).json["summary"] == before_version["summary"]
    left = [
        who for placement in after.json for who in placement["participants"] if who["id"] is None
    ]
    assert left and all(who["name"] == "A participant who left" for who in left)
    assert person.last_name not in after.get_data(as_text=True)


def test_partners_feeds_show_the_meeting_cancelled(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    person = _someone_with_meetings(demo)
    ids = {
        m.id
        for m in db.session.scalars(
            select(Meeting).where(
                (Meeting.participant_a_id == person.id) | (Meeting.participant_b_id == person.id)
            )
        )
    }
    _, partners = _erase_someone(client, demo)
    for partner_id in partners:
        response = client.get(
            f"/api/v1/events/{demo.event_id}/participants/{partner_id}/agenda.ics",
            headers=_organiser(demo),
        )
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert person.last_name not in body
        cancelled = [
            vevent
            for vevent in Calendar.from_ical(response.data).walk("VEVENT")
            if str(vevent["STATUS"]) == "CANCELLED"
        ]
        assert cancelled, body
        assert all("a participant who left" in str(v["SUMMARY"]) for v in cancelled)
    assert len(partners) == len(ids)
    # Each partner is told by mail too (the wording: tests/api/notifications).
    told = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.kind == "meeting_changed")
    ).all()
    assert sorted(m.participant_id for m in told) == sorted(partners)


@pytest.mark.parametrize(
    "path",
    [
        "/meetings",
        "/meetings?status=cancelled",
        "/stats",
        "/exports/meetings.csv",
        "/exports/meetings.xlsx",
        "/exports/report.xlsx",
        "/meetings-instance.json",
    ],
)
def test_readers_of_meetings_cope_with_a_participant_who_left(
    client: FlaskClient, demo: PublishedEvent, path: str
) -> None:
    person, partners = _erase_someone(client, demo)
    response = client.get(f"/api/v1/events/{demo.event_id}{path}", headers=_organiser(demo))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert person.last_name.encode() not in response.data
    for own in ("schedule", "data-export"):
        answer = client.get(
            f"/api/v1/events/{demo.event_id}/participants/{partners[0]}/{own}",
            headers=_organiser(demo),
        )
        assert answer.status_code == 200, answer.json
    exported = client.get(
        f"/api/v1/events/{demo.event_id}/participants/{partners[0]}/data-export",
        headers=_organiser(demo),
    ).json
    assert "A participant who left" in {m["with"] for m in exported["meetings"]}


def test_a_new_schedule_after_a_deletion_leaves_the_cancelled_meetings_out(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    from api.models import Event
    from tests.api.published_event import solve_with_job

    _erase_someone(client, demo)
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    version = solve_with_job(event)
    orphaned = {m.id for m in db.session.scalars(select(Meeting)) if m.is_orphaned}
    response = client.get(
        f"/api/v1/events/{demo.event_id}/schedules/{version.id}/meetings",
        headers=_organiser(demo),
    )
    assert response.status_code == 200
    assert orphaned and not orphaned & {p["meeting_id"] for p in response.json}
