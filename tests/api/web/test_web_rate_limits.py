"""The web registration form and the sign-in link request share the API's rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.api.web.forms import csrf_of
from tests.conftest import make_app


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    yield from make_app(
        request,
        "sqlite",
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_REGISTRATION="3 per minute",
        RATELIMIT_SIGN_IN_MAIL="3 per minute",
        RATELIMIT_SIGN_IN_MAIL_PER_EMAIL="2 per minute",
    )


def test_the_registration_form_is_limited_per_client(app: Flask, event: dict[str, Any]) -> None:
    client = app.test_client()
    url = f"/events/{event['id']}/register"
    codes = []
    for number in range(5):
        form = {
            "csrf_token": csrf_of(client, url),
            "first_name": "Mia",
            "last_name": "Chen",
            "email": f"mia{number}@example.org",
            "attendance": "on_site",
            "organisation_name": f"Lab {number}",
            "organisation_country": "TW",
            "organisation_type": "research",
            "consent": "yes",
        }
        codes.append(client.post(url, data=form).status_code)
    assert codes == [200, 200, 200, 429, 429]
    assert client.get(url).status_code == 200  # showing the form is not limited


def test_asking_for_a_sign_in_link_is_limited_per_address_and_per_client(
    app: Flask, event: dict[str, Any]
) -> None:
    # One browser session (its CSRF token) seen from several client addresses.
    client = app.test_client()
    token = csrf_of(client, f"/signin?event={event['id']}")

    def ask(number: int, email: str) -> int:
        form = {"csrf_token": token, "event_id": str(event["id"]), "email": email}
        environ = {"REMOTE_ADDR": f"192.0.2.{number}"}
        return client.post("/signin/link", data=form, environ_base=environ).status_code

    # Per address, whoever asks: the third ask for one address is refused.
    assert [ask(n, "Someone@example.org") for n in (1, 2, 3)] == [302, 302, 429]
    assert ask(4, "someone@example.org ") == 429  # the same address, however typed
    assert ask(5, "other@example.org") == 302
    # Per client: a fourth ask from one address is refused, whatever the e-mail.
    codes = []
    for number in range(5):
        token = csrf_of(client, f"/signin?event={event['id']}")
        form = {"csrf_token": token, "event_id": str(event["id"]), "email": f"p{number}@x.org"}
        codes.append(client.post("/signin/link", data=form).status_code)
    assert codes == [302, 302, 302, 429, 429]
    refused = client.post("/signin/link", data=form)
    assert refused.status_code == 429 and "<html" in refused.text  # a page, not JSON
