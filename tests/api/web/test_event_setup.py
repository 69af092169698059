"""The organiser's event setup form: the API's schema and operations behind a web form."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Event
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def _form(token: str, **overrides: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "name": "EU-Taiwan Battery Matchmaking",
        "slug": "eu-taiwan-batteries",
        "kind": "matchmaking",
        "venue": "Taipei",
        "timezone": "Asia/Taipei",
        "start_date": "2027-05-04",
        "end_date": "2027-05-05",
        "registration_closes_dt": "2027-04-30T18:00",
        "request_deadline_dt": "",
        "meeting_settings_meeting_length_min": "20",
        "meeting_settings_max_meetings_per_participant": "12",
        "blocks": "2027-05-04 09:00-12:00\n2027-05-05 14:00-17:30\n",
        "is_online_allowed": "yes",
        "cross_border_only": "yes",
    }
    form.update(overrides)
    return form


def test_an_organiser_creates_an_event_from_the_form(
    client: FlaskClient, organiser: Caller
) -> None:
    assert client.get("/events/new").status_code == 401
    sign_in(client, organiser.token)
    saved = client.post("/events/new", data=_form(csrf_of(client, "/events/new")))
    assert saved.status_code == 302, saved.text[:1000]
    event = db.session.scalar(select(Event).where(Event.slug == "eu-taiwan-batteries"))
    assert event is not None and event.organiser_id == organiser.id
    assert event.meeting_length_min == 20 and event.max_meetings_per_participant == 12
    assert [(b.start_time.isoformat(), b.end_time.isoformat()) for b in event.meeting_blocks] == [
        ("09:00:00", "12:00:00"),
        ("14:00:00", "17:30:00"),
    ]
    assert event.rules["cross_border_only"] is True
    # 18:00 in Taipei is 10:00 UTC.
    assert event.registration_closes_dt is not None
    assert event.registration_closes_dt.hour == 10
    settings = client.get(f"/events/{event.id}/organise/settings").text
    assert 'value="2027-04-30T18:00"' in settings and "2027-05-04 09:00-12:00" in settings


def test_a_wrong_setup_names_the_fields_and_writes_nothing(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/settings"
    refused = client.post(
        url,
        data=_form(
            csrf_of(client, url),
            end_date="2027-05-01",
            timezone="Mars/Olympus",
            blocks="tomorrow morning",
        ),
    )
    assert refused.status_code == 422
    assert 'id="end_date-error"' in refused.text
    assert 'id="timezone-error"' in refused.text
    assert "Line 1" in refused.text
    db.session.expire_all()
    unchanged = db.session.get(Event, event["id"])
    assert unchanged is not None and unchanged.name == event["name"]
