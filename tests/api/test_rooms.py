from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Room
from tests.api.conftest import Caller


def _room_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Room)) or 0


def _url(event: dict[str, Any], room_id: int | None = None) -> str:
    base = f"/api/v1/events/{event['id']}/rooms"
    return base if room_id is None else f"{base}/{room_id}"


def _room(client: FlaskClient, event: dict[str, Any], owner: Caller, **fields: Any) -> Any:
    payload = {"name": "Auditorium", "capacity": 300, "features": ["streaming", "stage"], **fields}
    response = client.post(_url(event), json=payload, headers=owner.headers)
    assert response.status_code == 201, response.json
    return response.json


def test_organiser_adds_room(client: FlaskClient, organiser: Caller, event: dict[str, Any]) -> None:
    room = _room(client, event, organiser, features=["hybrid", "hybrid"])
    assert room["capacity"] == 300
    assert room["features"] == ["hybrid"]
    assert client.get(_url(event, room["id"])).json == room


def test_list_is_public_and_filters(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    _room(client, event, organiser)
    _room(client, event, organiser, name="Workshop 1", capacity=30, features=["projector"])
    assert len(client.get(_url(event)).json) == 2
    assert [r["name"] for r in client.get(_url(event) + "?min_capacity=100").json] == ["Auditorium"]
    assert [r["name"] for r in client.get(_url(event) + "?feature=projector").json] == [
        "Workshop 1"
    ]


def test_bad_input_names_each_field_and_writes_nothing(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    payload = {"name": "", "capacity": 0, "features": ["jacuzzi"], "floor": 2}
    response = client.post(_url(event), json=payload, headers=organiser.headers)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"name", "capacity", "features", "floor"}
    response = client.post(
        _url(event), json={"name": "A", "capacity": "many"}, headers=organiser.headers
    )
    assert "capacity" in response.json["errors"]["json"]
    response = client.post(_url(event), json={}, headers=organiser.headers)
    assert set(response.json["errors"]["json"]) == {"name", "capacity"}
    assert _room_count() == 0


@pytest.mark.postgres
def test_duplicate_name_is_a_conflict(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    _room(client, event, organiser)
    response = client.post(
        _url(event), json={"name": "Auditorium", "capacity": 5}, headers=organiser.headers
    )
    assert response.status_code == 409
    assert _room_count() == 1


def test_patch_changes_capacity_and_validates(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    room = _room(client, event, organiser)
    url = _url(event, room["id"])
    response = client.patch(url, json={"capacity": 250}, headers=organiser.headers)
    assert response.json == {**room, "capacity": 250}
    response = client.patch(url, json={"capacity": -1}, headers=organiser.headers)
    assert response.status_code == 422
    assert "capacity" in response.json["errors"]["json"]
    assert client.get(url).json["capacity"] == 250


@pytest.mark.postgres
def test_deleting_room_keeps_its_sessions(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    room = _room(client, event, organiser)
    session = client.post(
        f"/api/v1/events/{event['id']}/sessions",
        json={"title": "Opening", "kind": "plenary", "length_min": 30, "room_id": room["id"]},
        headers=organiser.headers,
    ).json
    assert client.delete(_url(event, room["id"]), headers=organiser.headers).status_code == 204
    after = client.get(f"/api/v1/events/{event['id']}/sessions/{session['id']}").json
    assert after["room_id"] is None
    assert _room_count() == 0


def test_other_organiser_participant_and_anonymous_are_refused(
    client: FlaskClient,
    organiser: Caller,
    organiser_factory: Any,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    room = _room(client, event, organiser)
    payload = {"name": "Other", "capacity": 10}
    url = _url(event, room["id"])
    for caller in (organiser_factory("Organiser B"), participant_factory()):
        assert client.post(_url(event), json=payload, headers=caller.headers).status_code == 403
        assert client.patch(url, json=payload, headers=caller.headers).status_code == 403
        assert client.delete(url, headers=caller.headers).status_code == 403
    assert client.post(_url(event), json={"capacity": "x"}).status_code == 401
    assert client.delete(url).status_code == 401
    assert _room_count() == 1
    assert client.get(url).json == room


def test_room_of_another_event_is_not_found(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    mine, other = event_factory(), event_factory()
    room = _room(client, other, organiser)
    url = _url(mine, room["id"])
    assert client.get(url).status_code == 404
    assert client.patch(url, json={"capacity": 2}, headers=organiser.headers).status_code == 404
    assert client.delete(url, headers=organiser.headers).status_code == 404
    assert _room_count() == 1
