"""Each notification arrives at the loopback SMTP server: recipient, language, attachment;
and a participant who turned a kind off does not get it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Event, Meeting, MeetingPlacement, Participant
from tests.api.conftest import Caller
from tests.api.notifications.conftest import wait_for_mail
from tests.api.published_event import PublishedEvent, place_greedily, published_event
from tests.mail_server import SmtpServer


def _text(message: EmailMessage) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]


def _kinds(smtp: SmtpServer, email: str) -> list[str]:
    return [m["X-Clustermeet-Kind"] for m in smtp.to(email)]


def _ask(client: FlaskClient, event: dict[str, Any], who: Caller, whom: Caller) -> Any:
    response = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests",
        json={"invitee_id": whom.id, "message": "Battery recycling?"},
        headers=who.headers,
    )
    assert response.status_code == 201, response.json
    return response.json


def test_registration_confirms_in_the_language_chosen(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    participant_factory(email="jonas@example.org", language="de")
    wait_for_mail(app)

    [mail] = smtp.to("jonas@example.org")
    assert mail["Subject"] == f"Sie sind für {event['name']} angemeldet"
    assert mail["Content-Language"] == "de"
    assert "/sign-in/" in _text(mail)


def test_a_request_is_announced_to_the_invitee_and_the_answer_to_the_requester(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    ana = participant_factory(email="ana@example.org", first_name="Ana")
    luc = participant_factory(email="luc@example.org", first_name="Luc", language="fr")
    request = _ask(client, event, ana, luc)
    wait_for_mail(app)

    [received] = [
        m for m in smtp.to("luc@example.org") if m["X-Clustermeet-Kind"] == "request_received"
    ]
    assert received["Subject"].startswith("Ana ")
    assert "souhaite vous rencontrer" in received["Subject"]
    assert "Battery recycling?" in _text(received)

    accepted = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests/{request['id']}/accept", headers=luc.headers
    )
    assert accepted.status_code == 200, accepted.json
    wait_for_mail(app)
    [answered] = [
        m for m in smtp.to("ana@example.org") if m["X-Clustermeet-Kind"] == "request_answered"
    ]
    assert answered["Subject"] == "Luc " + answered["Subject"].split(" ", 1)[1]
    assert "accepted your meeting request" in answered["Subject"]


def test_a_declined_request_says_so(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    ana = participant_factory(email="ana@example.org")
    luc = participant_factory(email="luc@example.org")
    request = _ask(client, event, ana, luc)
    client.post(
        f"/api/v1/events/{event['id']}/meeting-requests/{request['id']}/decline",
        headers=luc.headers,
    )
    wait_for_mail(app)

    [answered] = [
        m for m in smtp.to("ana@example.org") if m["X-Clustermeet-Kind"] == "request_answered"
    ]
    assert "declined your meeting request" in answered["Subject"]


def test_opting_out_stops_request_mail(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    ana = participant_factory(email="ana@example.org")
    luc = participant_factory(email="luc@example.org")
    muted = client.put(
        f"/api/v1/events/{event['id']}/participants/{luc.id}/notifications",
        json={"muted_notifications": ["request_received"]},
        headers=luc.headers,
    )
    assert muted.status_code == 200, muted.json
    _ask(client, event, ana, luc)
    wait_for_mail(app)

    assert _kinds(smtp, "luc@example.org") == ["registration"]


def test_pending_requests_about_to_expire_are_announced_once(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    organiser: Caller,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    client.patch(
        f"/api/v1/events/{event['id']}",
        json={"meeting_settings": {"request_expiry_hours": 12}},
        headers=organiser.headers,
    )
    ana = participant_factory(email="ana@example.org")
    luc = participant_factory(email="luc@example.org")
    _ask(client, event, ana, luc)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["mail", "expiring", "--within", "24"])
    second = runner.invoke(args=["mail", "expiring", "--within", "24"])
    wait_for_mail(app)

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert _kinds(smtp, "luc@example.org").count("request_expiring") == 1
    assert "request_expiring" not in _kinds(smtp, "ana@example.org")


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=10, meetings_each=2, reuse=True)


def _person(pid: int) -> Participant:
    participant = db.session.get(Participant, pid)
    assert participant is not None
    return participant


def test_publishing_sends_each_person_their_agenda_with_the_calendar(
    app: Flask, smtp: SmtpServer, demo: PublishedEvent
) -> None:
    wait_for_mail(app)
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    with_meetings = {
        pid
        for meeting in db.session.scalars(select(Meeting))
        for pid in (meeting.participant_a_id, meeting.participant_b_id)
    }

    for pid in demo.participant_ids:
        mails = [
            m
            for m in smtp.to(_person(pid).email)
            if m["X-Clustermeet-Kind"] == "schedule_published"
        ]
        assert len(mails) == (1 if pid in with_meetings else 0)
        for mail in mails:
            assert mail["Subject"] == f"Your agenda for {event.name}"
            [attachment] = list(mail.iter_attachments())
            assert attachment.get_filename() == "agenda.ics"
            ics = attachment.get_payload(decode=True)
            assert ics.startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" in ics
            assert "/feeds/cmf_" in _text(mail)


def test_a_cancelled_meeting_is_announced_and_shown_cancelled_in_the_feed(
    app: Flask, client: FlaskClient, smtp: SmtpServer, demo: PublishedEvent
) -> None:
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    assert meeting is not None
    a, b = _person(meeting.participant_a_id), _person(meeting.participant_b_id)
    org = {"Authorization": f"Bearer {demo.organiser_key}"}

    cancelled = client.post(
        f"/api/v1/events/{demo.event_id}/meetings/{meeting.id}/cancel", headers=org
    )
    assert cancelled.status_code == 200, cancelled.json
    wait_for_mail(app)

    for person in (a, b):
        [mail] = [m for m in smtp.to(person.email) if m["X-Clustermeet-Kind"] == "meeting_changed"]
        assert mail["Subject"].startswith("Meeting cancelled")
    feed = client.get(f"/api/v1/events/{demo.event_id}/participants/{a.id}/feed", headers=org).json[
        "urls"
    ]["calendar"]
    calendar = client.get("/" + feed.split("/", 3)[3]).data.decode()
    assert f"UID:meeting-{meeting.id}@" in calendar
    assert "STATUS:CANCELLED" in calendar


def test_a_moved_meeting_is_announced_after_a_new_publication(
    app: Flask, client: FlaskClient, smtp: SmtpServer, demo: PublishedEvent
) -> None:
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    draft = place_greedily(event)
    moved = db.session.scalars(
        select(MeetingPlacement).where(MeetingPlacement.version_id == draft.id)
    ).first()
    assert moved is not None
    free = {p.slot for p in db.session.scalars(select(MeetingPlacement))}
    later = max(free) + 1
    from api.events.slots import event_slots

    slot = next(s for s in event_slots(event) if s.index >= later)
    moved.slot, moved.start_dt, moved.end_dt = slot.index, slot.start_dt, slot.end_dt
    for seat in moved.seats:
        seat.start_dt = slot.start_dt
    db.session.commit()
    meeting = db.session.get(Meeting, moved.meeting_id)
    assert meeting is not None

    response = client.post(
        f"/api/v1/events/{demo.event_id}/schedules/{draft.id}/publish",
        headers={"Authorization": f"Bearer {demo.organiser_key}"},
    )
    assert response.status_code == 200, response.json
    wait_for_mail(app)

    for pid in (meeting.participant_a_id, meeting.participant_b_id):
        changed = [
            m for m in smtp.to(_person(pid).email) if m["X-Clustermeet-Kind"] == "meeting_changed"
        ]
        assert len(changed) == 1
        assert changed[0]["Subject"].startswith("Meeting moved")


def _evening_before(event: Event, first: datetime) -> datetime:
    """18:00 on the day before ``first``, in the event's time zone."""
    zone = ZoneInfo(event.timezone)
    day = first.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day, time(18), tzinfo=zone)


def test_the_day_before_reminder_goes_once(
    app: Flask, smtp: SmtpServer, demo: PublishedEvent
) -> None:
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    first_day = db.session.scalar(
        select(MeetingPlacement.start_dt).order_by(MeetingPlacement.start_dt)
    )
    assert first_day is not None
    evening_before = _evening_before(event, first_day)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["mail", "reminders", "--now", evening_before.isoformat()])
    again = runner.invoke(args=["mail", "reminders", "--now", evening_before.isoformat()])
    wait_for_mail(app)

    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    reminded = [r for r in smtp.received if r.message["X-Clustermeet-Kind"] == "reminder"]
    assert reminded, (first.output, evening_before)
    recipients = [rcpt for r in reminded for rcpt in r.rcpt_tos]
    assert len(recipients) == len(set(recipients))
    [sample] = reminded[:1]
    assert "Tomorrow at" in sample.message["Subject"]


def test_opting_out_of_reminders_stops_them(
    app: Flask, client: FlaskClient, smtp: SmtpServer, demo: PublishedEvent
) -> None:
    first_day = db.session.scalar(
        select(MeetingPlacement.start_dt).order_by(MeetingPlacement.start_dt)
    )
    assert first_day is not None
    for pid in demo.participant_ids:
        _person(pid).muted_notifications = ["reminder"]
    db.session.commit()

    event = db.session.get(Event, demo.event_id)
    assert event is not None
    result = app.test_cli_runner().invoke(
        args=["mail", "reminders", "--now", _evening_before(event, first_day).isoformat()]
    )
    wait_for_mail(app)

    assert result.exit_code == 0, result.output
    assert [r for r in smtp.received if r.message["X-Clustermeet-Kind"] == "reminder"] == []
