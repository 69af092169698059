from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import SignUp
from tests.api.conftest import Caller


def _signup_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SignUp)) or 0


def _session(client: FlaskClient, event: dict[str, Any], owner: Caller, **fields: Any) -> Any:
    payload = {"title": "Skills for the twin transition", "kind": "workshop", "length_min": 90}
    response = client.post(
        f"/api/v1/events/{event['id']}/sessions", json={**payload, **fields}, headers=owner.headers
    )
    assert response.status_code == 201, response.json
    return response.json


def _url(event: dict[str, Any], session: dict[str, Any], signup_id: int | None = None) -> str:
    base = f"/api/v1/events/{event['id']}/sessions/{session['id']}/signups"
    return base if signup_id is None else f"{base}/{signup_id}"


def _mine(event: dict[str, Any], participant_id: int) -> str:
    return f"/api/v1/events/{event['id']}/participants/{participant_id}/signups"


def _sign_up(client: FlaskClient, url: str, caller: Caller, **fields: Any) -> Any:
    response = client.post(url, json=fields, headers=caller.headers)
    assert response.status_code == 201, response.json
    return response.json


def test_participant_signs_up_and_the_session_counts_it(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    alice, bob = participant_factory(), participant_factory()
    signup = _sign_up(client, _url(event, session), alice)
    assert signup["participant_id"] == alice.id and signup["kind"] == "attend"
    _sign_up(client, _url(event, session), bob, kind="interest")
    counted = client.get(f"/api/v1/events/{event['id']}/sessions/{session['id']}").json
    assert (counted["attendees"], counted["interested"]) == (1, 1)


@pytest.mark.postgres
def test_duplicate_signup_is_a_conflict(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    alice = participant_factory()
    _sign_up(client, _url(event, session), alice)
    response = client.post(_url(event, session), json={"kind": "interest"}, headers=alice.headers)
    assert response.status_code == 409
    assert _signup_count() == 1


def test_full_room_refuses_attendance_but_not_interest(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    room = client.post(
        f"/api/v1/events/{event['id']}/rooms",
        json={"name": "Small", "capacity": 1},
        headers=organiser.headers,
    ).json
    session = _session(client, event, organiser, room_id=room["id"])
    alice, bob = participant_factory(), participant_factory()
    _sign_up(client, _url(event, session), alice)
    response = client.post(_url(event, session), json={}, headers=bob.headers)
    assert response.status_code == 409
    _sign_up(client, _url(event, session), bob, kind="interest")
    assert _signup_count() == 2


def test_organiser_signs_up_a_participant_of_the_event(
    client: FlaskClient,
    organiser: Caller,
    participant_factory: Any,
    event_factory: Any,
    event: dict[str, Any],
) -> None:
    session = _session(client, event, organiser)
    alice = participant_factory()
    stranger = participant_factory(event_id=event_factory()["id"])
    signup = _sign_up(client, _url(event, session), organiser, participant_id=alice.id)
    assert signup["participant_id"] == alice.id
    for payload in ({}, {"participant_id": stranger.id}, {"participant_id": 99999}):
        response = client.post(_url(event, session), json=payload, headers=organiser.headers)
        assert response.status_code == 422
        assert "participant_id" in response.json["errors"]["json"]
    assert _signup_count() == 1


def test_participant_cannot_sign_up_someone_else(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    alice, bob = participant_factory(), participant_factory()
    response = client.post(
        _url(event, session), json={"participant_id": bob.id}, headers=alice.headers
    )
    assert response.status_code == 403
    assert _signup_count() == 0


def test_bad_input_names_each_field(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    alice = participant_factory()
    response = client.post(
        _url(event, session), json={"kind": "maybe", "note": "hi"}, headers=alice.headers
    )
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"kind", "note"}
    response = client.post(
        _url(event, session), json={"participant_id": "me"}, headers=alice.headers
    )
    assert "participant_id" in response.json["errors"]["json"]
    assert _signup_count() == 0


def test_outsiders_cannot_sign_up(
    client: FlaskClient,
    organiser: Caller,
    organiser_factory: Any,
    participant_factory: Any,
    event_factory: Any,
    event: dict[str, Any],
) -> None:
    session = _session(client, event, organiser)
    alice = participant_factory()
    outsider = participant_factory(event_id=event_factory()["id"])
    intruder = organiser_factory("Organiser B")
    assert client.post(_url(event, session), json={"kind": 1}).status_code == 401
    for caller, payload in ((outsider, {}), (intruder, {"participant_id": alice.id})):
        response = client.post(_url(event, session), json=payload, headers=caller.headers)
        assert response.status_code == 403
        assert client.get(_url(event, session), headers=caller.headers).status_code == 403
    assert _signup_count() == 0


def test_session_of_another_event_is_not_found(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event_factory: Any
) -> None:
    mine, other = event_factory(), event_factory()
    foreign = _session(client, other, organiser)
    alice = participant_factory(event_id=mine["id"])
    assert client.post(_url(mine, foreign), json={}, headers=alice.headers).status_code == 404
    assert client.get(_url(mine, foreign), headers=alice.headers).status_code == 404
    assert _signup_count() == 0


def test_session_list_shows_organiser_all_and_participant_their_own(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    alice, bob = participant_factory(), participant_factory()
    own = _sign_up(client, _url(event, session), alice)
    _sign_up(client, _url(event, session), bob, kind="interest")
    assert len(client.get(_url(event, session), headers=organiser.headers).json) == 2
    assert client.get(_url(event, session), headers=alice.headers).json == [own]
    listed = client.get(_url(event, session) + "?kind=interest", headers=organiser.headers).json
    assert [s["participant_id"] for s in listed] == [bob.id]


def test_owner_or_organiser_withdraws_a_signup(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    alice, bob = participant_factory(), participant_factory()
    first = _sign_up(client, _url(event, session), alice)
    second = _sign_up(client, _url(event, session), bob)
    assert client.delete(_url(event, session, first["id"]), headers=bob.headers).status_code == 403
    assert client.delete(_url(event, session, first["id"])).status_code == 401
    assert _signup_count() == 2
    assert (
        client.delete(_url(event, session, first["id"]), headers=alice.headers).status_code == 204
    )
    response = client.delete(_url(event, session, second["id"]), headers=organiser.headers)
    assert response.status_code == 204
    assert _signup_count() == 0


def test_signup_of_another_session_is_not_found(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    first, second = _session(client, event, organiser), _session(client, event, organiser)
    alice = participant_factory()
    signup = _sign_up(client, _url(event, first), alice)
    url = _url(event, second, signup["id"])
    assert client.delete(url, headers=alice.headers).status_code == 404
    assert _signup_count() == 1


def test_participant_signups_for_self_and_organiser_only(
    client: FlaskClient,
    organiser: Caller,
    organiser_factory: Any,
    participant_factory: Any,
    event_factory: Any,
    event: dict[str, Any],
) -> None:
    first, second = _session(client, event, organiser), _session(client, event, organiser)
    alice, bob = participant_factory(), participant_factory()
    _sign_up(client, _url(event, first), alice)
    _sign_up(client, _url(event, second), alice, kind="interest")
    _sign_up(client, _url(event, first), bob)
    own = client.get(_mine(event, alice.id), headers=alice.headers).json
    assert [s["session_id"] for s in own] == [first["id"], second["id"]]
    assert len(client.get(_mine(event, alice.id), headers=organiser.headers).json) == 2
    assert client.get(_mine(event, alice.id), headers=bob.headers).status_code == 403
    assert client.get(_mine(event, alice.id)).status_code == 401
    intruder = organiser_factory("Organiser B")
    assert client.get(_mine(event, alice.id), headers=intruder.headers).status_code == 403
    outsider = participant_factory(event_id=event_factory()["id"])
    assert client.get(_mine(event, alice.id), headers=outsider.headers).status_code == 403
    # A participant id from another event is unknown here, even to the organiser.
    assert client.get(_mine(event, outsider.id), headers=organiser.headers).status_code == 404


@pytest.mark.postgres
def test_deleting_a_session_removes_its_signups(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    _sign_up(client, _url(event, session), participant_factory())
    url = f"/api/v1/events/{event['id']}/sessions/{session['id']}"
    assert client.delete(url, headers=organiser.headers).status_code == 204
    assert _signup_count() == 0
