"""An erasure cancels the person's published meetings: partners get a mail naming nobody."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Meeting, Participant
from tests.api.notifications.conftest import wait_for_mail
from tests.api.published_event import published_event
from tests.mail_server import SmtpServer


def test_partners_of_an_erased_person_are_told_without_a_name(
    app: Flask, client: FlaskClient, smtp: SmtpServer
) -> None:
    demo = published_event(participants=10, meetings_each=2)
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    assert meeting is not None and meeting.participant_a is not None
    person = meeting.participant_a
    name, erased_id = person.full_name, person.id
    partners = [
        p.email
        for m in db.session.scalars(
            select(Meeting).where(
                (Meeting.participant_a_id == erased_id) | (Meeting.participant_b_id == erased_id)
            )
        )
        if (p := m.partner_of(erased_id)) is not None
    ]
    wait_for_mail(app)
    response = client.delete(
        f"/api/v1/events/{demo.event_id}/participants/{erased_id}",
        headers={"Authorization": f"Bearer {demo.organiser_key}"},
    )
    assert response.status_code == 204
    wait_for_mail(app)

    assert partners
    for email in partners:
        cancelled = [
            m for m in smtp.to(email) if m["Subject"] == "Meeting cancelled: a participant who left"
        ]
        assert len(cancelled) == 1, [m["Subject"] for m in smtp.to(email)]
        text = cancelled[0].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert name not in text
        assert "a participant who left (their data was deleted)" in text
    assert db.session.get(Participant, erased_id) is None
