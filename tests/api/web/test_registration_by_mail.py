"""Registering through the web form answers "check your mail" whether or not the address
is registered; the mailed link (read from the loopback SMTP server) signs the person in."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Opportunity, Organisation, Participant
from tests.api.notifications.conftest import app, mailed_sign_in_link, smtp, wait_for_mail
from tests.api.web.forms import csrf_of
from tests.mail_server import SmtpServer

__all__ = ["app", "smtp"]


def _form(token: str, **overrides: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "first_name": "Mia",
        "last_name": "Chen",
        "email": "mia.chen@example.tw",
        "attendance": "on_site",
        "organisation_name": "Taipei Battery Lab",
        "organisation_country": "TW",
        "organisation_type": "research",
        "offer_title": "Solid-state cell testing",
        "consent": "yes",
        "is_public": "yes",
    }
    form.update(overrides)
    return form


def _register(client: FlaskClient, event_id: int, **overrides: str) -> str:
    url = f"/events/{event_id}/register"
    page = client.post(url, data=_form(csrf_of(client, url), **overrides))
    assert page.status_code == 200, page.text[:800]
    return page.text


def _count(model: Any) -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_registering_mails_a_link_that_signs_in(
    app: Flask, client: FlaskClient, smtp: SmtpServer, event: dict[str, Any]
) -> None:
    page = _register(client, event["id"])
    assert "Check your mail" in page and "mia.chen@example.tw" in page
    assert "Sign out" not in page  # nobody is signed in by the form itself
    marketplace = f"/events/{event['id']}/marketplace"
    assert client.get(marketplace).status_code == 401

    text, path = mailed_sign_in_link(app, smtp, "mia.chen@example.tw")
    assert "You are registered for" in text
    confirmed = client.post(path, data={"csrf_token": csrf_of(client, path)})
    assert confirmed.status_code == 303
    agenda = client.get(confirmed.headers["Location"])
    assert "Sign out" in agenda.text and "You are signed in." in agenda.text
    assert "Solid-state cell testing" in client.get(marketplace).text


def test_registering_twice_shows_the_same_page_and_writes_nothing_the_second_time(
    app: Flask,
    client: FlaskClient,
    smtp: SmtpServer,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    participant_factory(email="ana@example.org", first_name="Ana")  # someone else, as well
    first = _register(client, event["id"])
    counts = [_count(m) for m in (Participant, Organisation, Opportunity)]
    wait_for_mail(app)
    mails = len(smtp.to("mia.chen@example.tw"))

    # The same address again (other case, another name, organisation and offer).
    second = _register(
        client,
        event["id"],
        email="Mia.Chen@Example.TW",
        first_name="Someone",
        organisation_name="Other Lab",
        offer_title="Something else",
    )
    assert second == first.replace("mia.chen@example.tw", "Mia.Chen@Example.TW")
    assert [_count(m) for m in (Participant, Organisation, Opportunity)] == counts
    mia = db.session.scalar(select(Participant).where(Participant.email == "mia.chen@example.tw"))
    assert mia is not None and mia.first_name == "Mia"

    text, path = mailed_sign_in_link(app, smtp, "mia.chen@example.tw")
    assert len(smtp.to("mia.chen@example.tw")) == mails + 1
    assert "You are already registered, so nothing was changed." in text
    confirmed = client.post(path, data={"csrf_token": csrf_of(client, path)})
    assert confirmed.status_code == 303  # the link signs the registered person in


def test_a_refusal_that_does_not_depend_on_the_address_is_shown_on_the_form(
    app: Flask, client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    participant_factory(email="taken@example.org")
    url = f"/events/{event['id']}/register"
    for email in ("taken@example.org", "new@example.org"):
        page = client.post(url, data=_form(csrf_of(client, url), email=email, interests="nope"))
        assert page.status_code == 422
        assert "Check your mail" not in page.text
    assert _count(Participant) == 1
