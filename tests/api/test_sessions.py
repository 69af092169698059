from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Session, SessionSpeaker
from tests.api.conftest import Caller


def _counts() -> tuple[int, int]:
    sessions = db.session.scalar(select(func.count()).select_from(Session)) or 0
    speakers = db.session.scalar(select(func.count()).select_from(SessionSpeaker)) or 0
    return sessions, speakers


def _url(event: dict[str, Any], session_id: int | None = None) -> str:
    base = f"/api/v1/events/{event['id']}/sessions"
    return base if session_id is None else f"{base}/{session_id}"


def _payload(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Financing the green transition",
        "kind": "panel",
        "theme": "green-transition",
        "length_min": 60,
        "speakers": [{"name": "Maria Keller", "role": "moderator"}],
        **fields,
    }


def _session(client: FlaskClient, event: dict[str, Any], owner: Caller, **fields: Any) -> Any:
    response = client.post(_url(event), json=_payload(**fields), headers=owner.headers)
    assert response.status_code == 201, response.json
    return response.json


def _room(client: FlaskClient, event: dict[str, Any], owner: Caller, **fields: Any) -> Any:
    payload = {"name": "Auditorium", "capacity": 200, "features": ["streaming"], **fields}
    response = client.post(
        f"/api/v1/events/{event['id']}/rooms", json=payload, headers=owner.headers
    )
    assert response.status_code == 201, response.json
    return response.json


def test_organiser_adds_placed_session_with_speakers(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    speaker = participant_factory(first_name="Jon", last_name="Olsen")
    room = _room(client, event, organiser)
    session = _session(
        client,
        event,
        organiser,
        room_id=room["id"],
        start_dt="2027-03-10T10:00:00+01:00",
        required_features=["streaming"],
        is_pinned=True,
        speakers=[
            {"participant_id": speaker.id, "role": "panellist"},
            {"name": "Maria Keller", "role": "moderator"},
        ],
    )
    assert session["end_dt"] == "2027-03-10T10:00:00+00:00"
    assert session["start_dt"] == "2027-03-10T09:00:00+00:00"
    assert [(s["name"], s["role"]) for s in session["speakers"]] == [
        ("Jon Olsen", "panellist"),
        ("Maria Keller", "moderator"),
    ]
    assert session["attendees"] == 0 and session["interested"] == 0
    assert client.get(_url(event, session["id"])).json == session


def test_list_is_public_and_filters(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    room = _room(client, event, organiser)
    _session(client, event, organiser, title="Opening", kind="plenary", theme="")
    _session(client, event, organiser, title="Late", start_dt="2027-03-11T00:30:00+01:00")
    _session(client, event, organiser, title="Placed", room_id=room["id"], theme="skills")

    def titles(query: str) -> list[str]:
        return sorted(s["title"] for s in client.get(_url(event) + query).json)

    assert titles("") == ["Late", "Opening", "Placed"]
    assert titles("?kind=plenary") == ["Opening"]
    assert titles("?theme=skills") == ["Placed"]
    assert titles(f"?room_id={room['id']}") == ["Placed"]
    # 00:30 in Brussels on the 11th is still the 10th in UTC: days are the event's.
    assert titles("?day=2027-03-11") == ["Late"]
    assert titles("?day=2027-03-10") == []
    assert client.get(_url(event) + "?day=tomorrow").status_code == 422


def test_start_outside_event_days_is_refused(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    response = client.post(
        _url(event), json=_payload(start_dt="2027-03-12T10:00:00+01:00"), headers=organiser.headers
    )
    assert response.status_code == 422
    assert "start_dt" in response.json["errors"]["json"]
    assert _counts() == (0, 0)


def test_session_must_end_on_the_day_it_starts(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    response = client.post(
        _url(event), json=_payload(start_dt="2027-03-10T23:30:00+01:00"), headers=organiser.headers
    )
    assert response.status_code == 422
    assert "start_dt" in response.json["errors"]["json"]
    assert _counts() == (0, 0)


def test_bad_input_names_each_field_and_writes_nothing(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    payload = _payload(
        kind="party",
        length_min=601,
        required_features=["jacuzzi"],
        start_dt="2027-03-10T10:00:00",
        room_id="main",
        is_pinned="maybe",
        colour="red",
    )
    response = client.post(_url(event), json=payload, headers=organiser.headers)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {
        "kind",
        "length_min",
        "required_features",
        "start_dt",
        "room_id",
        "is_pinned",
        "colour",
    }
    response = client.post(_url(event), json={}, headers=organiser.headers)
    assert set(response.json["errors"]["json"]) == {"title", "kind", "length_min"}
    response = client.post(_url(event), json=_payload(length_min=4), headers=organiser.headers)
    assert "length_min" in response.json["errors"]["json"]
    assert _counts() == (0, 0)


def test_bad_speakers_are_named(
    client: FlaskClient,
    organiser: Caller,
    participant_factory: Any,
    event_factory: Any,
    event: dict[str, Any],
) -> None:
    stranger = participant_factory(event_id=event_factory()["id"])
    speakers = [{"role": "speaker"}, {"name": "X", "role": "juggler"}]
    response = client.post(_url(event), json=_payload(speakers=speakers), headers=organiser.headers)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]["speakers"]
    assert "name" in errors["0"] and "role" in errors["1"]
    speakers = [{"name": "Ok"}, {"participant_id": stranger.id}]
    response = client.post(_url(event), json=_payload(speakers=speakers), headers=organiser.headers)
    assert response.status_code == 422
    assert "participant_id" in response.json["errors"]["json"]["speakers"]["1"]
    assert _counts() == (0, 0)


def test_room_must_be_of_the_event_and_have_the_features(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    mine, other = event_factory(), event_factory()
    foreign_room = _room(client, other, organiser)
    plain_room = _room(client, mine, organiser, name="Plain", features=[])
    for payload in (
        _payload(room_id=foreign_room["id"]),
        _payload(room_id=plain_room["id"], required_features=["hybrid"]),
    ):
        response = client.post(_url(mine), json=payload, headers=organiser.headers)
        assert response.status_code == 422
        assert "room_id" in response.json["errors"]["json"]
    assert _counts() == (0, 0)


def test_pinning_needs_a_start(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    response = client.post(_url(event), json=_payload(is_pinned=True), headers=organiser.headers)
    assert response.status_code == 422
    assert "is_pinned" in response.json["errors"]["json"]


def test_patch_replaces_speakers_only_when_given(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    url = _url(event, session["id"])
    response = client.patch(url, json={"title": "New title"}, headers=organiser.headers)
    assert response.status_code == 200
    assert [s["name"] for s in response.json["speakers"]] == ["Maria Keller"]
    speakers = [{"name": "Ana Ruiz"}, {"name": "Li Wei", "role": "panellist"}]
    response = client.patch(url, json={"speakers": speakers}, headers=organiser.headers)
    assert [s["name"] for s in response.json["speakers"]] == ["Ana Ruiz", "Li Wei"]
    assert _counts() == (1, 2)


def test_patch_is_checked_against_the_merged_session(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser, start_dt="2027-03-10T22:00:00+01:00")
    url = _url(event, session["id"])
    response = client.patch(url, json={"length_min": 180}, headers=organiser.headers)
    assert response.status_code == 422
    assert "start_dt" in response.json["errors"]["json"]
    response = client.patch(url, json={"length_min": "long"}, headers=organiser.headers)
    assert "length_min" in response.json["errors"]["json"]
    assert client.get(url).json == session


@pytest.mark.postgres
def test_owner_deletes_session_with_speakers(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    session = _session(client, event, organiser)
    assert client.delete(_url(event, session["id"]), headers=organiser.headers).status_code == 204
    assert _counts() == (0, 0)


def test_only_the_owner_manages_sessions(
    client: FlaskClient,
    organiser: Caller,
    organiser_factory: Any,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    session = _session(client, event, organiser)
    url = _url(event, session["id"])
    for caller in (organiser_factory("Organiser B"), participant_factory()):
        assert client.post(_url(event), json=_payload(), headers=caller.headers).status_code == 403
        assert client.patch(url, json={"title": "x"}, headers=caller.headers).status_code == 403
        assert client.delete(url, headers=caller.headers).status_code == 403
    assert client.post(_url(event), json={"title": 1}).status_code == 401
    assert client.patch(url, json={"title": "x"}).status_code == 401
    assert client.delete(url).status_code == 401
    assert client.get(url).json == session
    assert _counts() == (1, 1)


def test_session_of_another_event_is_not_found(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    mine, other = event_factory(), event_factory()
    session = _session(client, other, organiser)
    url = _url(mine, session["id"])
    assert client.get(url).status_code == 404
    assert client.patch(url, json={"title": "x"}, headers=organiser.headers).status_code == 404
    assert client.delete(url, headers=organiser.headers).status_code == 404
    assert client.get(_url(mine)).json == []
    assert _counts() == (1, 1)


def test_sessions_are_in_the_openapi_document(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/events/{event_id}/sessions"])
    assert "/api/v1/events/{event_id}/sessions/{session_id}/signups" in paths


def test_room_holds_one_session_at_a_time(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    room = _room(client, event, organiser)
    placed = {"room_id": room["id"], "start_dt": "2027-03-10T10:00:00+01:00"}
    _session(client, event, organiser, **placed)
    overlapping = _payload(room_id=room["id"], start_dt="2027-03-10T10:30:00+01:00")
    assert client.post(_url(event), json=overlapping, headers=organiser.headers).status_code == 409
    assert _counts() == (1, 1)
    later = _session(
        client, event, organiser, room_id=room["id"], start_dt="2027-03-10T11:00:00+01:00"
    )
    response = client.patch(
        _url(event, later["id"]), json={"length_min": 45}, headers=organiser.headers
    )
    assert response.status_code == 200
    response = client.patch(
        _url(event, later["id"]),
        json={"start_dt": "2027-03-10T09:30:00+01:00"},
        headers=organiser.headers,
    )
    assert response.status_code == 409


def test_speaker_cannot_be_in_two_places_at_once(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    speaker = participant_factory()
    speakers = [{"participant_id": speaker.id}]
    _session(client, event, organiser, speakers=speakers, start_dt="2027-03-10T10:00:00+01:00")
    clash = _payload(speakers=speakers, start_dt="2027-03-10T10:30:00+01:00")
    assert client.post(_url(event), json=clash, headers=organiser.headers).status_code == 409
    later = _session(client, event, organiser, start_dt="2027-03-10T10:30:00+01:00")
    response = client.patch(
        _url(event, later["id"]), json={"speakers": speakers}, headers=organiser.headers
    )
    assert response.status_code == 409
    assert _counts() == (2, 2)
