"""Signing in to the web app by emailed link: ask on /signin, read the mail the loopback
SMTP server received, confirm the link's page, and the browser is signed in."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.api.notifications.conftest import app, mailed_sign_in_link, smtp, wait_for_mail
from tests.api.web.forms import csrf_of
from tests.mail_server import SmtpServer

__all__ = ["app", "smtp"]

UNIFORM = "If this address is registered for"


def _ask(client: FlaskClient, event_id: int, email: str) -> str:
    token = csrf_of(client, f"/signin?event={event_id}")
    answer = client.post(
        "/signin/link",
        data={"csrf_token": token, "event_id": str(event_id), "email": email},
        follow_redirects=True,
    )
    assert answer.status_code == 200, answer.text[:500]
    return answer.text


def test_a_participant_asks_for_a_link_and_signs_in_with_it(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    participant_factory(email="ana@example.org", first_name="Ana")
    wait_for_mail(app)
    before = len(smtp.to("ana@example.org"))

    page = _ask(client, event["id"], "Ana@Example.org ")
    assert UNIFORM in page
    wait_for_mail(app)
    assert len(smtp.to("ana@example.org")) == before + 1

    _, path = mailed_sign_in_link(app, smtp, "ana@example.org")
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert confirm.headers["Cache-Control"] == "no-store"
    assert "Sign out" not in confirm.text  # opening the link signed nobody in
    signed_in = client.post(path, data={"csrf_token": csrf_of(client, path)})
    assert signed_in.status_code == 303
    agenda = client.get(signed_in.headers["Location"])
    assert agenda.status_code == 200
    assert "Sign out" in agenda.text and "You are signed in." in agenda.text

    # The same browser session writes through the web forms (CSRF-checked).
    profile = f"/events/{event['id']}/me/profile"
    saved = client.post(
        profile,
        data={
            "csrf_token": csrf_of(client, profile),
            "first_name": "Ana",
            "last_name": "Ruiz",
            "role": "Engineer",
            "is_public": "yes",
        },
    )
    assert saved.status_code == 302, saved.text[:500]
    assert "Engineer" in client.get(profile).text

    # Signing out ends the link's token too: a copy of the cookie opens nothing after.
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.post("/signout", data={"csrf_token": csrf_of(client, profile)})
    client.set_cookie("session", cookie.value)
    assert client.get(profile).status_code == 401


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    app: Flask, client: FlaskClient, smtp: SmtpServer, event: dict[str, Any]
) -> None:
    page = _ask(client, event["id"], "nobody@example.org")
    assert UNIFORM in page
    wait_for_mail(app)
    assert smtp.to("nobody@example.org") == []


def test_a_link_request_names_the_missing_field(client: FlaskClient, event: dict[str, Any]) -> None:
    token = csrf_of(client, "/signin")
    answer = client.post(
        "/signin/link", data={"csrf_token": token, "event_id": str(event["id"]), "email": "x"}
    )
    assert answer.status_code == 422
    assert 'id="email-error"' in answer.text
    no_event = client.post(
        "/signin/link", data={"csrf_token": token, "event_id": "", "email": "a@example.org"}
    )
    assert no_event.status_code == 422
    assert 'id="event_id-error"' in no_event.text
    assert client.post("/signin/link", data={"email": "a@example.org"}).status_code == 400


def test_a_used_or_forged_link_says_so_and_offers_a_new_one(client: FlaskClient) -> None:
    token = csrf_of(client, "/signin")
    forged = client.post("/sign-in/not-a-token", data={"csrf_token": token})
    assert forged.status_code == 401
    assert "not valid" in forged.text
    assert 'href="/signin"' in forged.text


def test_the_event_page_leads_to_the_link_form_even_after_registration_closed(
    client: FlaskClient, event_factory: Any
) -> None:
    closed = event_factory(name="Closed Forum", registration_closes_dt="2020-01-01T00:00:00Z")
    page = client.get(f"/events/{closed['id']}").text
    assert "Registration is closed." in page
    assert f'href="/signin?event={closed["id"]}"' in page
    form = client.get(f"/signin?event={closed['id']}").text
    assert f'<option value="{closed["id"]}" selected>' in form
