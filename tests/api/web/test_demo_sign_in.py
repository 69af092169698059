"""`make demo` ends by telling a person where to open the web app and how to sign in."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from rich.console import Console

from api.accounts.participant_sessions import session_for_token
from api.demo.build import build_demo_event, demo_participant_sign_in
from api.demo.report import print_web_sign_in
from api.extensions import db
from tests.api.web.forms import sign_in


def test_demo_prints_working_sign_ins_for_both_kinds_of_user(sqlite_app: Flask) -> None:
    built = build_demo_event(30, seed=3)
    participant, token = demo_participant_sign_in(built.event)
    db.session.commit()
    found = session_for_token(token)
    assert found is not None and found.participant_id == participant.id
    console = Console(record=True, width=200)
    print_web_sign_in(console, built.event, built.organiser_key, participant, token)
    text = console.export_text()
    assert "http://127.0.0.1:5000/" in text
    assert built.organiser_key in text and token in text
    client: FlaskClient = sqlite_app.test_client()
    sign_in(client, token)
    agenda = client.get(f"/events/{built.event.id}/me/agenda")
    assert agenda.status_code == 200 and participant.full_name in agenda.text
