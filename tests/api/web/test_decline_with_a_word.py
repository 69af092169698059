"""Declining a meeting request with a word: the invitee types it in the inbox; the
requester sees it in their inbox, in the API and in the mail that tells them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import Caller
from tests.api.notifications.conftest import app, smtp, wait_for_mail
from tests.api.web.forms import csrf_of, sign_in
from tests.mail_server import SmtpServer

__all__ = ["app", "smtp"]

WORD = "Not our field, but try the Lyon cluster."


def _ask(client: FlaskClient, event_id: int, requester: Caller, invitee: Caller) -> int:
    answer = client.post(
        f"/api/v1/events/{event_id}/meeting-requests",
        json={"invitee_id": invitee.id, "message": "Shall we meet?"},
        headers=requester.headers,
    )
    assert answer.status_code == 201, answer.json
    return int(answer.json["id"])


def test_the_requester_reads_the_word_in_the_inbox_the_api_and_the_mail(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    ana: Caller = participant_factory(email="ana@example.org")
    ben: Caller = participant_factory(email="ben@example.org")
    request_id = _ask(client, event["id"], ana, ben)
    inbox = f"/events/{event['id']}/requests"

    sign_in(client, ben.token)
    page = client.get(inbox).text
    assert f'id="decline-message-{request_id}"' in page
    declined = client.post(
        f"{inbox}/{request_id}/decline",
        data={"csrf_token": csrf_of(client, inbox), "message": f"  {WORD} "},
        follow_redirects=True,
    )
    assert "Declined." in declined.text

    sign_in(client, ana.token)
    assert WORD in client.get(inbox).text
    shown = client.get(
        f"/api/v1/events/{event['id']}/meeting-requests/{request_id}", headers=ana.headers
    )
    assert shown.json["status"] == "declined" and shown.json["answer_message"] == WORD
    wait_for_mail(app)
    mail = smtp.to("ana@example.org")[-1].get_body(preferencelist=("plain",))
    assert mail is not None and WORD in mail.get_content()


def test_the_api_declines_with_or_without_a_word_and_bounds_it(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    ben: Caller = participant_factory()
    cleo: Caller = participant_factory()
    first = _ask(client, event["id"], ana, ben)
    second = _ask(client, event["id"], cleo, ben)
    base = f"/api/v1/events/{event['id']}/meeting-requests"

    too_long = client.post(
        f"{base}/{first}/decline", json={"message": "x" * 501}, headers=ben.headers
    )
    assert too_long.status_code == 422
    assert "message" in str(too_long.json)
    with_word = client.post(f"{base}/{first}/decline", json={"message": WORD}, headers=ben.headers)
    assert with_word.status_code == 200 and with_word.json["answer_message"] == WORD
    without = client.post(f"{base}/{second}/decline", headers=ben.headers)
    assert without.status_code == 200 and without.json["answer_message"] == ""


def test_a_too_long_word_in_the_inbox_is_refused_and_nothing_changes(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    ben: Caller = participant_factory()
    request_id = _ask(client, event["id"], ana, ben)
    inbox = f"/events/{event['id']}/requests"
    sign_in(client, ben.token)
    refused = client.post(
        f"{inbox}/{request_id}/decline",
        data={"csrf_token": csrf_of(client, inbox), "message": "x" * 501},
        follow_redirects=True,
    )
    assert "That did not work" in refused.text
    assert f'id="decline-message-{request_id}"' in refused.text  # still pending
