"""My agenda offers a calendar subscription: webcal:// for one click, an https address
to copy, and a new address on request (the old one stops working)."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def _addresses(page: str) -> tuple[str, str]:
    webcal = re.search(r'id="subscribe-calendar" href="([^"]+)"', page)
    https = re.search(r'id="calendar-url" value="([^"]+)"', page)
    assert webcal is not None and https is not None, "the agenda offers a subscription"
    return html.unescape(webcal.group(1)), html.unescape(https.group(1))


def test_my_agenda_offers_a_subscription_that_serves_the_calendar(
    app: Flask, client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    sign_in(client, ana.token)
    agenda = f"/events/{event['id']}/me/agenda"
    webcal, https = _addresses(client.get(agenda).text)
    assert https.startswith(("https://", "http://")) and https.endswith("/agenda.ics")
    assert webcal == "webcal://" + https.split("://", 1)[1]
    assert _addresses(client.get(agenda).text) == (webcal, https)  # stable across visits

    with app.test_client() as stranger:  # no cookie: the address alone opens the feed
        calendar = stranger.get(urlsplit(https).path)
        assert calendar.status_code == 200
        assert b"BEGIN:VCALENDAR" in calendar.data

    renewed = client.post(
        f"/events/{event['id']}/me/calendar-address",
        data={"csrf_token": csrf_of(client, agenda)},
        follow_redirects=True,
    )
    assert "new address" in renewed.text
    _, new_https = _addresses(renewed.text)
    assert new_https != https
    with app.test_client() as stranger:
        assert stranger.get(urlsplit(https).path).status_code in (401, 404)
        assert stranger.get(urlsplit(new_https).path).status_code == 200


def test_the_new_address_needs_the_participant_and_the_form(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    url = f"/events/{event['id']}/me/calendar-address"
    assert client.post(url).status_code == 400  # no CSRF token
    assert client.post(url, data={"csrf_token": csrf_of(client, "/signin")}).status_code == 401
