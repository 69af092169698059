from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.accounts.sign_in import MAX_LINKS_PER_WINDOW
from api.accounts.tokens import hash_secret
from api.extensions import db
from api.models import Organisation, OutgoingMail, Participant, ParticipantSession
from tests.api.conftest import Caller, participant_payload


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _url(event: dict[str, Any], suffix: str = "") -> str:
    return f"/api/v1/events/{event['id']}/participants{suffix}"


def test_the_organisers_registration_returns_a_token_stored_only_as_hash(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    response = client.post(
        _url(event), json=participant_payload(email="Eva@Example.org"), headers=organiser.headers
    )
    assert response.status_code == 201
    token = response.json["access_token"]
    stored = db.session.get(Participant, response.json["id"])
    assert stored is not None
    session = db.session.scalar(
        select(ParticipantSession).where(ParticipantSession.participant_id == stored.id)
    )
    assert session is not None
    assert session.token_hash == hash_secret(token)
    assert token not in session.token_hash
    assert stored.email == "eva@example.org"
    me = client.get(_url(event, f"/{stored.id}"), headers={"Authorization": f"Bearer {token}"})
    assert me.json["email"] == "eva@example.org"


def test_anonymous_registration_answers_check_your_mail_and_opens_no_session(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    response = client.post(_url(event), json=participant_payload(email="Eva@Example.org"))
    assert response.status_code == 202
    assert set(response.json) == {"message"}
    stored = db.session.scalar(select(Participant).where(Participant.email == "eva@example.org"))
    assert stored is not None
    assert _count(ParticipantSession) == 0


def test_two_participants_share_one_organisation(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    org = {"name": "Cluster Pole Auvergne", "type": "cluster_organisation", "country": "FR"}
    client.post(_url(event), json=participant_payload(organisation=org))
    client.post(
        _url(event), json=participant_payload(organisation={**org, "name": "cluster pole auvergne"})
    )
    assert _count(Organisation) == 1


@pytest.mark.postgres
def test_the_organiser_is_told_about_a_duplicate_email_and_nothing_is_written(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    client.post(_url(event), json=participant_payload(email="dup@example.org"))
    before = (_count(Participant), _count(Organisation))
    response = client.post(
        _url(event), json=participant_payload(email="DUP@example.org"), headers=organiser.headers
    )
    assert response.status_code == 422
    assert "email" in response.json["errors"]["json"]
    assert (_count(Participant), _count(Organisation)) == before


@pytest.mark.postgres
def test_anonymous_registration_does_not_tell_whether_an_email_is_registered(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    new = client.post(_url(event), json=participant_payload(email="dup@example.org"))
    before = (_count(Participant), _count(Organisation))
    again = client.post(_url(event), json=participant_payload(email="DUP@example.org"))
    assert (again.status_code, again.json) == (new.status_code, new.json) == (202, new.json)
    assert (_count(Participant), _count(Organisation)) == before
    mails = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.recipient == "dup@example.org")
    ).all()
    assert sorted(m.kind for m in mails) == ["already_registered", "registration"]


def test_refusals_that_do_not_depend_on_the_email_come_first_for_a_registered_one(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    client.post(_url(event), json=participant_payload(email="dup@example.org"))
    for email in ("dup@example.org", "fresh@example.org"):
        response = client.post(
            _url(event), json=participant_payload(email=email, interests=["not-a-tag"])
        )
        assert response.status_code == 422
        assert "interests" in response.json["errors"]["json"]


def test_the_already_registered_mail_is_limited_like_sign_in_links(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    client.post(_url(event), json=participant_payload(email="dup@example.org"))
    for _ in range(MAX_LINKS_PER_WINDOW + 3):
        assert (
            client.post(_url(event), json=participant_payload(email="dup@example.org")).status_code
            == 202
        )
    reminders = db.session.scalar(
        select(func.count())
        .select_from(OutgoingMail)
        .where(OutgoingMail.kind == "already_registered")
    )
    # The registration mail's link counts too.
    assert reminders == MAX_LINKS_PER_WINDOW - 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"consent": False}, "consent"),
        ({"first_name": 42}, "first_name"),
        ({"timezone": "Europe/Nowhere"}, "timezone"),
        ({"languages": ["xx"]}, "languages"),
        ({"attendance": "telepathy"}, "attendance"),
        ({"favourite_colour": "green"}, "favourite_colour"),
        ({"interests": ["not-a-tag"]}, "interests"),
    ],
)
def test_bad_registration_names_the_field(
    client: FlaskClient, event: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    response = client.post(_url(event), json=participant_payload(**change))
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert _count(Participant) == 0
    assert _count(Organisation) == 0


def test_bad_country_names_the_nested_field(client: FlaskClient, event: dict[str, Any]) -> None:
    org = {"name": "X", "type": "sme", "country": "XX"}
    response = client.post(_url(event), json=participant_payload(organisation=org))
    assert response.status_code == 422
    assert "country" in response.json["errors"]["json"]["organisation"]


def test_registration_closed_for_public_but_not_for_organiser(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    closed = event_factory(
        registration_opens_dt="2020-01-01T00:00:00+00:00",
        registration_closes_dt="2020-02-01T00:00:00+00:00",
    )
    assert client.post(_url(closed), json=participant_payload()).status_code == 403
    response = client.post(_url(closed), json=participant_payload(), headers=organiser.headers)
    assert response.status_code == 201


def test_permission_matrix_for_profiles(
    client: FlaskClient,
    event: dict[str, Any],
    event_factory: Any,
    organiser_factory: Any,
    participant_factory: Any,
    organiser: Caller,
) -> None:
    alice = participant_factory()
    bob = participant_factory()
    outsider_event = event_factory()
    outsider = participant_factory(event_id=outsider_event["id"])
    other_organiser = organiser_factory("Organiser B")
    alice_url = _url(event, f"/{alice.id}")

    # Reading: public profile for bob, full for alice and the organiser.
    seen_by_bob = client.get(alice_url, headers=bob.headers).json
    assert "email" not in seen_by_bob
    assert seen_by_bob["first_name"] == "Ana"
    assert "email" in client.get(alice_url, headers=organiser.headers).json
    assert client.get(alice_url).status_code == 401
    assert client.get(alice_url, headers=outsider.headers).status_code == 403
    assert client.get(alice_url, headers=other_organiser.headers).status_code == 403
    # A participant id from another event is not found through this event.
    assert client.get(_url(event, f"/{outsider.id}"), headers=organiser.headers).status_code == 404

    # Writing: only alice and the organiser.
    patch = {"role": "CEO"}
    assert client.patch(alice_url, json=patch, headers=bob.headers).status_code == 403
    assert client.patch(alice_url, json=patch, headers=outsider.headers).status_code == 403
    assert client.patch(alice_url, json=patch, headers=other_organiser.headers).status_code == 403
    assert client.patch(alice_url, json=patch).status_code == 401
    assert client.patch(alice_url, json=patch, headers=alice.headers).json["role"] == "CEO"
    assert (
        client.patch(alice_url, json={"role": "CTO"}, headers=organiser.headers).status_code == 200
    )


def test_hidden_profile_is_invisible_to_other_participants(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    shy = participant_factory(is_public=False)
    bob = participant_factory()
    assert client.get(_url(event, f"/{shy.id}"), headers=bob.headers).status_code == 404
    listed = client.get(_url(event), headers=bob.headers).json
    assert shy.id not in [p["id"] for p in listed]
    everyone = client.get(_url(event), headers=organiser.headers).json
    assert shy.id in [p["id"] for p in everyone]


def test_list_filters(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    participant_factory(organisation={"name": "Aero Valley", "type": "sme", "country": "FR"})
    participant_factory(
        organisation={"name": "Lombardy Uni", "type": "university", "country": "IT"}
    )
    fr = client.get(_url(event) + "?country=FR", headers=organiser.headers).json
    assert [p["organisation"]["country"] for p in fr] == ["FR"]
    uni = client.get(_url(event) + "?organisation_type=university", headers=organiser.headers)
    assert len(uni.json) == 1
    assert len(client.get(_url(event) + "?q=aero", headers=organiser.headers).json) == 1


@pytest.mark.postgres
def test_participant_deletes_themself(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    alice = participant_factory()
    assert client.delete(_url(event, f"/{alice.id}"), headers=alice.headers).status_code == 204
    assert db.session.get(Participant, alice.id) is None
    assert _count(Organisation) == 0


def test_availability_must_lie_within_event_days(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    alice = participant_factory()
    url = _url(event, f"/{alice.id}/availability")
    good = {
        "windows": [
            {"start_dt": "2027-03-10T09:00:00+01:00", "end_dt": "2027-03-10T12:00:00+01:00"}
        ]
    }
    assert client.put(url, json=good, headers=alice.headers).status_code == 200
    assert len(client.get(url, headers=alice.headers).json["windows"]) == 1
    outside = {
        "windows": [
            {"start_dt": "2027-05-10T09:00:00+01:00", "end_dt": "2027-05-10T12:00:00+01:00"}
        ]
    }
    response = client.put(url, json=outside, headers=alice.headers)
    assert response.status_code == 422
    assert "windows" in response.json["errors"]["json"]
    backwards = {
        "windows": [
            {"start_dt": "2027-03-10T12:00:00+01:00", "end_dt": "2027-03-10T09:00:00+01:00"}
        ]
    }
    assert client.put(url, json=backwards, headers=alice.headers).status_code == 422
    assert len(client.get(url, headers=alice.headers).json["windows"]) == 1
