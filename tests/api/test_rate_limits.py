"""Rate limits (issue 17.9): bad tokens and anonymous registrations, per address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import Caller, participant_payload
from tests.conftest import make_app


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    yield from make_app(
        request,
        "sqlite",
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_AUTH_FAILURES="5 per minute",
        RATELIMIT_REGISTRATION="3 per minute",
    )


def test_bad_tokens_are_answered_429_after_the_limit(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    url = f"/api/v1/events/{event['id']}/participants"
    bad = {"Authorization": "Bearer cmo_not-a-key"}
    codes = [client.get(url, headers=bad).status_code for _ in range(8)]
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429] * 3
    # The address is locked out for the window, whatever it sends.
    locked = client.get(url, headers=organiser.headers)
    assert locked.status_code == 429
    assert locked.json["code"] == 429


def test_good_requests_do_not_count_as_failures(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    url = f"/api/v1/events/{event['id']}/participants"
    assert all(client.get(url, headers=organiser.headers).status_code == 200 for _ in range(10))


def test_anonymous_registrations_are_limited_but_not_the_organisers(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    url = f"/api/v1/events/{event['id']}/participants"
    codes = [client.post(url, json=participant_payload()).status_code for _ in range(5)]
    assert codes == [202, 202, 202, 429, 429]
    by_organiser = client.post(url, json=participant_payload(), headers=organiser.headers)
    assert by_organiser.status_code == 201


def test_sign_in_mail_is_limited_per_email_address_registered_or_not(
    app: Flask, event: dict[str, Any]
) -> None:
    app.config["RATELIMIT_SIGN_IN_MAIL_PER_EMAIL"] = "2 per minute"
    url = f"/api/v1/events/{event['id']}/sign-in"
    for email in ("nobody@example.org", "someone@example.org"):
        codes = []
        for number in range(4):
            # A different client each time: only the e-mail address is common.
            client = app.test_client()
            environ = {"REMOTE_ADDR": f"192.0.2.{number + 1}"}
            codes.append(client.post(url, json={"email": email}, environ_base=environ).status_code)
        assert codes == [202, 202, 429, 429], (email, codes)


def test_sign_in_mail_is_limited_per_client(app: Flask, event: dict[str, Any]) -> None:
    app.config["RATELIMIT_SIGN_IN_MAIL"] = "3 per minute"
    url = f"/api/v1/events/{event['id']}/sign-in"
    client = app.test_client()
    codes = [client.post(url, json={"email": f"p{n}@example.org"}).status_code for n in range(5)]
    assert codes == [202, 202, 202, 429, 429]
