"""Mail goes through a real SMTP server on loopback, in the recipient's language."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.extensions import db
from api.models import Event, OutgoingMail, Participant
from api.notifications.compose import Attachment, notify_participant
from api.notifications.kinds import NotificationKind
from api.notifications.preferences import unsubscribe_token
from tests.api.notifications.conftest import wait_for_mail
from tests.mail_server import SmtpServer

BRUSSELS = ZoneInfo("Europe/Brussels")


def _people(participant_factory: Any, event: dict[str, Any], **overrides: Any) -> Participant:
    """A participant who got no registration mail (these tests send their own)."""
    caller = participant_factory(muted_notifications=["*"], **overrides)
    participant = db.session.get(Participant, caller.id)
    assert participant is not None
    participant.muted_notifications = []
    db.session.commit()
    return participant


def _event(event: dict[str, Any]) -> Event:
    row = db.session.get(Event, event["id"])
    assert row is not None
    return row


def _text(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def _html(message: Any) -> str:
    return str(message.get_body(preferencelist=("html",)).get_content())


def test_a_notification_arrives_at_the_smtp_server_with_text_and_html(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    ana = _people(participant_factory, event)
    notify_participant(
        ana,
        _event(event),
        NotificationKind.REQUEST_ANSWERED,
        {"other_name": "Jan <Novak>", "other_organisation": "CzechInvest", "accepted": True},
    )
    db.session.commit()
    wait_for_mail(app)

    [message] = smtp.to(ana.email)
    assert message["Subject"] == "Jan <Novak> accepted your meeting request"
    assert "Jan <Novak> (CzechInvest) accepted your meeting request" in _text(message)
    # The HTML part escapes what people typed; the text part keeps it as it is.
    assert "Jan &lt;Novak&gt;" in _html(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://meet.example.org/notifications/")
    mail = db.session.scalars(db.select(OutgoingMail)).one()
    assert (mail.status, mail.attempts) == ("sent", 1)


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("en", "Your agenda for", "The schedule of"),
        ("de", "Ihr Programm für", "Der Zeitplan von"),
        ("fr", "Votre programme pour", "Le planning de"),
    ],
)
def test_mail_is_written_in_the_participants_language_with_the_attachment(
    app: Flask,
    smtp: SmtpServer,
    participant_factory: Any,
    event: dict[str, Any],
    language: str,
    subject: str,
    phrase: str,
) -> None:
    person = _people(participant_factory, event)
    person.language = language
    start = datetime(2027, 3, 10, 9, 30, tzinfo=BRUSSELS)
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    notify_participant(
        person,
        _event(event),
        NotificationKind.SCHEDULE_PUBLISHED,
        {
            "items": [
                {
                    "start_dt": start,
                    "end_dt": start + timedelta(minutes=30),
                    "title": "Jan Novak, CzechInvest",
                    "place": "Table 4",
                }
            ],
            "feed_url": "https://meet.example.org/feeds/x.ics",
        },
        attachments=[Attachment("agenda.ics", "text/calendar", ics)],
    )
    db.session.commit()
    wait_for_mail(app)

    [message] = smtp.to(person.email)
    assert message["Subject"].startswith(subject)
    assert message["Content-Language"] == language
    assert phrase in _text(message)
    assert "Table 4" in _text(message)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "agenda.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_payload(decode=True) == ics


def test_a_busy_server_is_tried_again_until_it_accepts(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    person = _people(participant_factory, event)
    smtp.fail_next("451 4.3.0 Try again later", "421 4.3.2 Shutting down")
    notify_participant(
        person,
        _event(event),
        NotificationKind.REQUEST_ANSWERED,
        {"other_name": "Jan", "other_organisation": "X", "accepted": False},
    )
    db.session.commit()
    wait_for_mail(app)

    assert len(smtp.to(person.email)) == 1
    db.session.expire_all()
    mail = db.session.scalars(db.select(OutgoingMail)).one()
    assert (mail.status, mail.attempts, mail.last_error) == ("sent", 3, "")


def test_a_refused_message_is_not_tried_again(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    person = _people(participant_factory, event)
    smtp.fail_next("550 5.1.1 No such user")
    notify_participant(
        person,
        _event(event),
        NotificationKind.REQUEST_ANSWERED,
        {"other_name": "Jan", "other_organisation": "X", "accepted": False},
    )
    db.session.commit()
    wait_for_mail(app)

    assert smtp.received == []
    db.session.expire_all()
    mail = db.session.scalars(db.select(OutgoingMail)).one()
    assert (mail.status, mail.attempts) == ("failed", 1)
    assert "550" in mail.last_error


def test_a_server_that_stays_busy_fails_the_mail_after_the_last_attempt(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    person = _people(participant_factory, event)
    smtp.fail_next(*["451 4.3.0 Try again later"] * 3)
    notify_participant(
        person,
        _event(event),
        NotificationKind.REQUEST_ANSWERED,
        {"other_name": "Jan", "other_organisation": "X", "accepted": False},
    )
    db.session.commit()
    wait_for_mail(app)

    assert smtp.received == []
    db.session.expire_all()
    mail = db.session.scalars(db.select(OutgoingMail)).one()
    assert (mail.status, mail.attempts) == ("failed", 3)


def test_nothing_is_sent_when_the_change_rolls_back(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    person = _people(participant_factory, event)
    notify_participant(
        person,
        _event(event),
        NotificationKind.REQUEST_ANSWERED,
        {"other_name": "Jan", "other_organisation": "X", "accepted": True},
    )
    db.session.rollback()
    db.session.commit()
    wait_for_mail(app)

    assert smtp.received == []
    assert db.session.scalars(db.select(OutgoingMail)).all() == []


def test_a_mail_with_a_dedupe_key_is_written_once(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    person = _people(participant_factory, event)
    context = {"day": datetime(2027, 3, 10, tzinfo=UTC).date(), "items": [], "feed_url": "u"}
    first = notify_participant(
        person, _event(event), NotificationKind.REMINDER, context, dedupe_key="reminder:1"
    )
    db.session.commit()
    again = notify_participant(
        person, _event(event), NotificationKind.REMINDER, context, dedupe_key="reminder:1"
    )
    db.session.commit()
    wait_for_mail(app)

    assert first is not None and again is None
    assert len(smtp.to(person.email)) == 1


def _unsubscribe_path(person: Participant, kind: str) -> str:
    return f"/notifications/unsubscribe/{unsubscribe_token(person, kind)}"


def test_opening_the_unsubscribe_link_asks_first_and_changes_nothing(
    app: Flask, client: FlaskClient, participant_factory: Any, event: dict[str, Any]
) -> None:
    person = _people(participant_factory, event)
    person.language = "de"
    db.session.commit()

    response = client.get(_unsubscribe_path(person, "request_answered"))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Abmelden" in response.get_data(as_text=True)
    db.session.expire_all()
    assert person.muted_notifications == []


def test_opting_out_of_one_kind_stops_that_kind_only(
    app: Flask,
    smtp: SmtpServer,
    client: FlaskClient,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    person = _people(participant_factory, event)
    response = client.post(
        _unsubscribe_path(person, "request_answered"), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    db.session.expire_all()

    muted = notify_participant(
        person,
        _event(event),
        NotificationKind.REQUEST_ANSWERED,
        {"other_name": "Jan", "other_organisation": "X", "accepted": True},
    )
    kept = notify_participant(
        person,
        _event(event),
        NotificationKind.REQUEST_RECEIVED,
        {
            "other_name": "Jan",
            "other_organisation": "X",
            "message": "",
            "expires_dt": None,
            "answer_url": None,
        },
    )
    db.session.commit()
    wait_for_mail(app)

    assert muted is None and kept is not None
    assert [m["Subject"] for m in smtp.to(person.email)] == [
        f"Jan would like to meet you at {event['name']}"
    ]


def test_opting_out_of_everything_still_lets_sign_in_links_through(
    app: Flask,
    smtp: SmtpServer,
    client: FlaskClient,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    person = _people(participant_factory, event)
    assert client.post(_unsubscribe_path(person, "*")).status_code == 200
    db.session.expire_all()

    for kind in NotificationKind:
        if kind in {
            NotificationKind.SIGN_IN,
            NotificationKind.ALREADY_REGISTERED,
            NotificationKind.MEMBER_INVITED,
        }:
            continue
        assert notify_participant(person, _event(event), kind, {}) is None
    sign_in = notify_participant(
        person,
        _event(event),
        NotificationKind.SIGN_IN,
        {"sign_in_url": "https://meet.example.org/s/x", "expires_minutes": 30},
    )
    db.session.commit()
    wait_for_mail(app)

    assert sign_in is not None
    [message] = smtp.to(person.email)
    assert "https://meet.example.org/s/x" in _text(message)


@pytest.mark.parametrize("token", ["garbage", "eyJwIjoxLCJrIjoiKiJ9.forged"])
def test_a_forged_unsubscribe_link_is_not_found(
    app: Flask, client: FlaskClient, token: str
) -> None:
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 404


def test_without_smtp_the_mail_lands_in_the_outbox_a_person_can_read(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any], tmp_path: Any
) -> None:
    app.config.update(SMTP_HOST="", MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))
    person = _people(participant_factory, event)
    mail = notify_participant(
        person,
        _event(event),
        NotificationKind.SIGN_IN,
        {"sign_in_url": "https://meet.example.org/s/abc", "expires_minutes": 30},
        attachments=[Attachment("agenda.ics", "text/calendar", b"BEGIN:VCALENDAR")],
    )
    db.session.commit()
    wait_for_mail(app)
    assert mail is not None

    assert smtp.received == []
    listing = app.test_cli_runner().invoke(args=["mail", "outbox"])
    assert listing.exit_code == 0, listing.output
    assert person.email in listing.output
    assert f"Your sign-in link for {event['name']}" in listing.output
    shown = app.test_cli_runner().invoke(args=["mail", "outbox", "--show", str(mail.id)])
    assert shown.exit_code == 0, shown.output
    assert "https://meet.example.org/s/abc" in shown.output
    assert "Attachments: agenda.ics" in shown.output
    files = list((tmp_path / "outbox").iterdir())
    assert [f.suffix for f in files] == [".eml"]
    assert files[0].stat().st_mode & 0o077 == 0


def test_stored_attachments_round_trip_through_base64(
    app: Flask, participant_factory: Any, event: dict[str, Any]
) -> None:
    person = _people(participant_factory, event)
    payload = bytes(range(256))
    mail = notify_participant(
        person,
        _event(event),
        NotificationKind.REQUEST_ANSWERED,
        {"other_name": "J", "other_organisation": "X", "accepted": True},
        attachments=[Attachment("blob.bin", "application/octet-stream", payload)],
    )
    assert mail is not None
    assert base64.b64decode(mail.attachments[0]["content"]) == payload
    db.session.rollback()


def test_mail_left_waiting_by_a_stopped_process_is_sent_after_a_restart(
    app: Flask, smtp: SmtpServer, participant_factory: Any, event: dict[str, Any]
) -> None:
    from api.background.runner import _PENDING_KEY, ThreadBackgroundRunner

    first, second = _people(participant_factory, event), _people(participant_factory, event)
    wait_for_mail(app)
    smtp.handler.received.clear()
    context = {"other_name": "J", "other_organisation": "X", "accepted": True}
    notify_participant(first, _event(event), NotificationKind.REQUEST_ANSWERED, context)
    # The process stops between the commit and the hand-over: nothing is queued.
    db.session().info.pop(_PENDING_KEY)
    db.session.commit()
    wait_for_mail(app)
    assert smtp.received == []

    app.extensions["clustermeet_background"] = ThreadBackgroundRunner(app)
    notify_participant(second, _event(event), NotificationKind.REQUEST_ANSWERED, context)
    db.session.commit()
    wait_for_mail(app)

    assert sorted(r.rcpt_tos[0] for r in smtp.received) == sorted([first.email, second.email])
