"""A participant's pages through Flask's test client: register, browse, ask, answer, agenda."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import MeetingRequest, Opportunity, Participant
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def _tag(client: FlaskClient, event: dict[str, Any], owner: Caller, slug: str, label: str) -> None:
    answer = client.post(
        f"/api/v1/events/{event['id']}/tags",
        json={"slug": slug, "label": label, "kind": "sector"},
        headers=owner.headers,
    )
    assert answer.status_code == 201, answer.json


def _form(event_id: int, token: str, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "csrf_token": token,
        "first_name": "Mia",
        "last_name": "Chen",
        "email": "mia.chen@example.tw",
        "role": "CTO",
        "attendance": "on_site",
        "organisation_name": "Taipei Battery Lab",
        "organisation_country": "tw",
        "organisation_type": "research",
        "interests": ["batteries"],
        "offer_title": "Solid-state cell testing",
        "request_title": "Pilot customers in Europe",
        "consent": "yes",
        "is_public": "yes",
    }
    form.update(overrides)
    return form


def test_register_in_one_form_publishes_offer_and_request_and_signs_in_nobody(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    _tag(client, event, organiser, "batteries", "Batteries")
    url = f"/events/{event['id']}/register"
    page = client.post(url, data=_form(event["id"], csrf_of(client, url)))
    assert page.status_code == 200, page.text[:800]
    assert "Check your mail" in page.text and "mia.chen@example.tw" in page.text
    assert "cmp_" not in page.text  # no token on the page: the mailed link signs in
    mia = db.session.scalar(select(Participant).where(Participant.email == "mia.chen@example.tw"))
    assert mia is not None and mia.organisation.country == "TW"
    assert [t.slug for t in mia.interests] == ["batteries"]
    kinds = sorted(
        o.kind
        for o in db.session.scalars(select(Opportunity).where(Opportunity.participant_id == mia.id))
    )
    assert kinds == ["offer", "request"]
    assert client.get(f"/events/{event['id']}/marketplace").status_code == 401


def test_a_refused_registration_names_each_field_and_writes_nothing(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    url = f"/events/{event['id']}/register"
    form = _form(event["id"], csrf_of(client, url), email="not-an-email", organisation_country="XX")
    form.pop("consent")
    page = client.post(url, data=form)
    assert page.status_code == 422
    assert 'id="email-error"' in page.text
    assert 'id="organisation-country-error"' in page.text
    assert "Consent is required" in page.text
    assert 'value="Mia"' in page.text  # what was typed stays
    assert db.session.scalar(select(Participant).where(Participant.first_name == "Mia")) is None


def test_marketplace_filters_by_country_and_needs_sign_in(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    base = f"/api/v1/events/{event['id']}/opportunities"
    ana: Caller = participant_factory()
    ben: Caller = participant_factory(
        organisation={"name": "Lyon Hydrogen", "type": "sme", "country": "FR"}
    )
    for who, title in ((ana, "Wind blade recycling"), (ben, "Hydrogen storage tanks")):
        answer = client.post(base, json={"kind": "offer", "title": title}, headers=who.headers)
        assert answer.status_code == 201
    url = f"/events/{event['id']}/marketplace"
    assert client.get(url).status_code == 401
    sign_in(client, ana.token)
    everything = client.get(url).text
    assert "Wind blade recycling" in everything and "Hydrogen storage tanks" in everything
    french = client.get(url, query_string={"country": "FR"}).text
    assert "Hydrogen storage tanks" in french and "Wind blade recycling" not in french
    partial = client.get(url, query_string={"q": "hydrogen"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "Hydrogen storage tanks" in partial.text


def test_request_accept_and_the_inbox(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    ben: Caller = participant_factory(
        organisation={"name": "Lyon Hydrogen", "type": "sme", "country": "FR"}
    )
    sign_in(client, ana.token)
    inbox = f"/events/{event['id']}/requests"
    sent = client.post(
        inbox,
        data={"csrf_token": csrf_of(client, inbox), "invitee_id": ben.id, "message": "Tanks?"},
        follow_redirects=True,
    )
    assert "Request sent." in sent.text
    request = db.session.scalar(select(MeetingRequest))
    assert request is not None and request.message == "Tanks?"
    sign_in(client, ben.token)
    page = client.get(inbox)
    assert "Tanks?" in page.text
    accepted = client.post(
        f"{inbox}/{request.id}/accept",
        data={"csrf_token": csrf_of(client, inbox)},
        follow_redirects=True,
    )
    assert "Accepted" in accepted.text
    db.session.expire_all()
    assert db.session.get(MeetingRequest, request.id).status == "accepted"  # type: ignore[union-attr]


def test_a_refused_request_shows_the_operations_reason(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    sign_in(client, ana.token)
    inbox = f"/events/{event['id']}/requests"
    refused = client.post(
        inbox,
        data={"csrf_token": csrf_of(client, inbox), "invitee_id": ana.id, "message": ""},
        follow_redirects=True,
    )
    assert "Your request was not sent" in refused.text
    assert db.session.scalar(select(MeetingRequest)) is None


def test_my_agenda_has_calendar_qr_and_needs_sign_in(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    url = f"/events/{event['id']}/me/agenda"
    assert client.get(url).status_code == 401
    sign_in(client, ana.token)
    page = client.get(url)
    assert page.status_code == 200
    assert "<svg" in page.text and "Check-in" in page.text
    calendar = client.get(f"{url}.ics")
    assert calendar.content_type.startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in calendar.data


def test_profile_later_and_more_offers(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    _tag(client, event, organiser, "batteries", "Batteries")
    ana: Caller = participant_factory()
    sign_in(client, ana.token)
    url = f"/events/{event['id']}/me/profile"
    saved = client.post(
        url,
        data={
            "csrf_token": csrf_of(client, url),
            "first_name": "Ana",
            "last_name": "Ruiz",
            "role": "Head of innovation",
            "description": "We run a wind blade recycling pilot.",
            "interests": ["batteries"],
        },
        follow_redirects=True,
    )
    assert "Your profile is saved." in saved.text
    db.session.expire_all()
    me = db.session.get(Participant, ana.id)
    assert me is not None and me.role == "Head of innovation" and me.is_public is False
    assert [t.slug for t in me.interests] == ["batteries"]
    refused = client.post(
        f"/events/{event['id']}/me/opportunities",
        data={"csrf_token": csrf_of(client, url), "kind": "request", "title": ""},
    )
    assert refused.status_code == 422 and 'id="item-title-error"' in refused.text
    added = client.post(
        f"/events/{event['id']}/me/opportunities",
        data={"csrf_token": csrf_of(client, url), "kind": "request", "title": "Blade shredders"},
        follow_redirects=True,
    )
    assert "Published in the marketplace." in added.text and "Blade shredders" in added.text


def test_a_request_form_is_read_by_the_apis_schema(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    ben: Caller = participant_factory()
    sign_in(client, ana.token)
    inbox = f"/events/{event['id']}/requests"
    for invitee, message in (("nobody", ""), (str(ben.id), "x" * 2001)):
        refused = client.post(
            inbox,
            data={"csrf_token": csrf_of(client, inbox), "invitee_id": invitee, "message": message},
            follow_redirects=True,
        )
        assert "Your request was not sent" in refused.text
    assert db.session.scalar(select(MeetingRequest)) is None


def test_a_colleague_picks_the_organisation_already_registered(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, event_factory: Any
) -> None:
    ana: Caller = participant_factory()
    organisation_id = db.session.get(Participant, ana.id).organisation_id  # type: ignore[union-attr]
    other_event = event_factory()
    stranger: Caller = participant_factory(event_id=other_event["id"])
    foreign_id = db.session.get(Participant, stranger.id).organisation_id  # type: ignore[union-attr]
    url = f"/events/{event['id']}/register"
    refused = client.post(
        url,
        data=_form(
            event["id"], csrf_of(client, url), organisation_id=str(foreign_id), interests=[]
        ),
    )
    assert refused.status_code == 422 and "No such organisation in this event." in refused.text
    joined = client.post(
        url,
        data=_form(
            event["id"], csrf_of(client, url), organisation_id=str(organisation_id), interests=[]
        ),
    )
    assert joined.status_code == 200 and "Check your mail" in joined.text
    mia = db.session.scalar(select(Participant).where(Participant.email == "mia.chen@example.tw"))
    assert mia is not None and mia.organisation_id == organisation_id
