"""Participants sign in by e-mailed link, rotate their token and sign out everywhere."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.api.notifications.conftest import wait_for_mail
from tests.api.web.forms import csrf_of
from tests.mail_server import SmtpServer


def _link_token(app: Flask, smtp: SmtpServer, email: str) -> str:
    wait_for_mail(app)
    text = smtp.to(email)[-1].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"/sign-in/(\S+)", text)
    assert found is not None, text
    return found.group(1)


def _me(client: FlaskClient, event: dict[str, Any], pid: int, token: str) -> int:
    response = client.get(
        f"/api/v1/events/{event['id']}/participants/{pid}",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code


def test_registration_mails_a_sign_in_link_that_works_once(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    ana = participant_factory(email="ana@example.org")
    token = _link_token(app, smtp, "ana@example.org")

    signed_in = client.post("/api/v1/sign-in", json={"token": token})
    assert signed_in.status_code == 201, signed_in.json
    assert signed_in.json["participant_id"] == ana.id
    assert _me(client, event, ana.id, signed_in.json["access_token"]) == 200

    again = client.post("/api/v1/sign-in", json={"token": token})
    assert again.status_code == 401
    assert "already used" in again.json["message"]


def test_a_lost_token_is_replaced_by_asking_for_a_link(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    ana = participant_factory(email="ana@example.org")
    wait_for_mail(app)

    asked = client.post(f"/api/v1/events/{event['id']}/sign-in", json={"email": "ANA@example.org"})
    assert asked.status_code == 202
    token = _link_token(app, smtp, "ana@example.org")
    signed_in = client.post("/api/v1/sign-in", json={"token": token})

    assert signed_in.status_code == 201
    assert _me(client, event, ana.id, signed_in.json["access_token"]) == 200
    subjects = [m["Subject"] for m in smtp.to("ana@example.org")]
    assert subjects == [
        f"You are registered for {event['name']}",
        f"Your sign-in link for {event['name']}",
    ]


def test_asking_for_a_link_tells_nothing_about_who_is_registered(
    app: Flask, client: FlaskClient, smtp: SmtpServer, event: dict[str, Any]
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/sign-in", json={"email": "nobody@example.org"}
    )
    wait_for_mail(app)

    assert response.status_code == 202
    assert smtp.received == []


def test_links_stop_after_five_in_a_short_time(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    participant_factory(email="ana@example.org")
    for _ in range(6):
        response = client.post(
            f"/api/v1/events/{event['id']}/sign-in", json={"email": "ana@example.org"}
        )
        assert response.status_code == 202
    wait_for_mail(app)

    # Registration sent the first link; four requests more reach the limit of five.
    assert len(smtp.to("ana@example.org")) == 5


def test_a_sign_in_link_of_one_event_opens_no_other(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event_factory: Any,
    participant_factory: Any,
) -> None:
    other = event_factory()
    participant_factory(email="ana@example.org")
    token = _link_token(app, smtp, "ana@example.org")
    signed_in = client.post("/api/v1/sign-in", json={"token": token}).json

    assert signed_in["event_id"] != other["id"]


def test_rotation_replaces_the_token(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana = participant_factory()
    rotated = client.post("/api/v1/accounts/session/rotate", headers=ana.headers)

    assert rotated.status_code == 201, rotated.json
    assert _me(client, event, ana.id, ana.token) == 401
    assert _me(client, event, ana.id, rotated.json["access_token"]) == 200


def test_sign_out_everywhere_ends_every_device(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    ana = participant_factory(email="ana@example.org")
    phone = client.post(
        "/api/v1/sign-in", json={"token": _link_token(app, smtp, "ana@example.org")}
    ).json["access_token"]

    out = client.post("/api/v1/accounts/session/sign-out-everywhere", headers=ana.headers)

    assert out.status_code == 200
    assert out.json["sessions_ended"] == 2
    assert _me(client, event, ana.id, ana.token) == 401
    assert _me(client, event, ana.id, phone) == 401


def test_sign_out_ends_only_this_device(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    ana = participant_factory(email="ana@example.org")
    phone = client.post(
        "/api/v1/sign-in", json={"token": _link_token(app, smtp, "ana@example.org")}
    ).json["access_token"]

    out = client.post(
        "/api/v1/accounts/session/sign-out", headers={"Authorization": f"Bearer {phone}"}
    )

    assert out.status_code == 200
    assert _me(client, event, ana.id, phone) == 401
    assert _me(client, event, ana.id, ana.token) == 200


def test_the_sign_in_page_asks_before_spending_the_link(
    app: Flask, client: FlaskClient, smtp: SmtpServer, participant_factory: Any
) -> None:
    participant_factory(email="ana@example.org")
    token = _link_token(app, smtp, "ana@example.org")

    page = client.get(f"/sign-in/{token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "<form" in page.get_data(as_text=True)

    # The GET spent nothing: the link still works once.
    assert client.post("/api/v1/sign-in", json={"token": token}).status_code == 201


def test_the_sign_in_page_opens_a_browser_session_that_only_reads(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    ana = participant_factory(email="ana@example.org")
    token = _link_token(app, smtp, "ana@example.org")

    form = csrf_of(client, f"/sign-in/{token}")
    signed_in = client.post(f"/sign-in/{token}", data={"csrf_token": form})
    assert signed_in.status_code == 303
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert signed_in.headers["Location"] == f"/events/{event['id']}/me/agenda"

    page = client.get(signed_in.headers["Location"])
    assert page.status_code == 200
    assert "no-store" in page.headers["Cache-Control"]
    me = f"/api/v1/events/{event['id']}/participants/{ana.id}"
    assert client.get(me).status_code == 200
    # Writes need the bearer token: a cookie alone would let other sites forge them.
    assert client.patch(me, json={"role": "Changed"}).status_code == 401
    again = client.post(f"/sign-in/{token}", data={"csrf_token": csrf_of(client, "/signin")})
    assert again.status_code == 401


def test_the_sign_in_page_refuses_a_post_without_its_form(
    app: Flask, client: FlaskClient, smtp: SmtpServer, participant_factory: Any
) -> None:
    """Another site cannot sign a browser in as someone else (login CSRF)."""
    participant_factory(email="ana@example.org")
    token = _link_token(app, smtp, "ana@example.org")

    assert client.post(f"/sign-in/{token}").status_code == 400
    # The refused POST spent nothing.
    assert client.post("/api/v1/sign-in", json={"token": token}).status_code == 201
