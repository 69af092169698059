from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import MeetingTable
from tests.api.conftest import Caller


def _table_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingTable)) or 0


def _url(event: dict[str, Any], suffix: Any = None) -> str:
    base = f"/api/v1/events/{event['id']}/tables"
    return base if suffix is None else f"{base}/{suffix}"


def _table(client: FlaskClient, event: dict[str, Any], owner: Caller, **fields: Any) -> Any:
    response = client.post(_url(event), json={"name": "A1", **fields}, headers=owner.headers)
    assert response.status_code == 201, response.json
    return response.json


def test_organiser_adds_table_reserved_for_exhibitor(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    exhibitor = participant_factory()
    table = _table(client, event, organiser, name="Booth 7", reserved_for_id=exhibitor.id)
    assert table["reserved_for_id"] == exhibitor.id
    assert client.get(_url(event, table["id"]), headers=organiser.headers).json == table


def test_bulk_creates_numbered_tables(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    response = client.post(
        _url(event, "bulk"), json={"count": 20, "prefix": "T"}, headers=organiser.headers
    )
    assert response.status_code == 201
    names = [t["name"] for t in response.json]
    assert names[0] == "T1" and names[-1] == "T20" and len(names) == 20
    listed = client.get(_url(event) + "?page_size=100", headers=organiser.headers).json
    assert [t["name"] for t in listed] == names


def test_bulk_with_a_clash_adds_nothing(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    _table(client, event, organiser, name="T5")
    response = client.post(
        _url(event, "bulk"), json={"count": 10, "prefix": "T"}, headers=organiser.headers
    )
    assert response.status_code == 409
    assert "T5" in response.json["message"]
    assert _table_count() == 1


def test_bulk_bad_input_names_fields(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    response = client.post(
        _url(event, "bulk"), json={"count": 0, "prefix": 5, "x": 1}, headers=organiser.headers
    )
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"count", "prefix", "x"}
    assert _table_count() == 0


def test_members_read_tables_others_do_not(
    client: FlaskClient,
    organiser: Caller,
    organiser_factory: Any,
    participant_factory: Any,
    event_factory: Any,
    event: dict[str, Any],
) -> None:
    table = _table(client, event, organiser)
    member = participant_factory()
    outsider = participant_factory(event_id=event_factory()["id"])
    assert client.get(_url(event), headers=member.headers).json == [table]
    assert client.get(_url(event, table["id"]), headers=member.headers).status_code == 200
    assert client.get(_url(event)).status_code == 401
    for caller in (outsider, organiser_factory("Organiser B")):
        assert client.get(_url(event), headers=caller.headers).status_code == 403
        assert client.get(_url(event, table["id"]), headers=caller.headers).status_code == 403


def test_only_the_owner_changes_tables(
    client: FlaskClient,
    organiser: Caller,
    organiser_factory: Any,
    participant_factory: Any,
    event: dict[str, Any],
) -> None:
    table = _table(client, event, organiser)
    url = _url(event, table["id"])
    for caller in (organiser_factory("Organiser B"), participant_factory()):
        assert (
            client.post(_url(event), json={"name": "B"}, headers=caller.headers).status_code == 403
        )
        assert (
            client.post(_url(event, "bulk"), json={"count": 2}, headers=caller.headers).status_code
            == 403
        )
        assert client.patch(url, json={"name": "B"}, headers=caller.headers).status_code == 403
        assert client.delete(url, headers=caller.headers).status_code == 403
    assert client.post(_url(event), json={"name": 3}).status_code == 401
    assert client.delete(url).status_code == 401
    assert _table_count() == 1


def test_reservation_for_participant_of_another_event_is_refused(
    client: FlaskClient,
    organiser: Caller,
    participant_factory: Any,
    event_factory: Any,
    event: dict[str, Any],
) -> None:
    stranger = participant_factory(event_id=event_factory()["id"])
    for reserved_for_id in (stranger.id, 99999):
        response = client.post(
            _url(event),
            json={"name": "Booth", "reserved_for_id": reserved_for_id},
            headers=organiser.headers,
        )
        assert response.status_code == 422
        assert "reserved_for_id" in response.json["errors"]["json"]
    assert _table_count() == 0


def test_bad_input_names_each_field(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    payload = {"name": "", "reserved_for_id": "abc", "seats": 4}
    response = client.post(_url(event), json=payload, headers=organiser.headers)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"name", "reserved_for_id", "seats"}
    response = client.post(_url(event), json={}, headers=organiser.headers)
    assert set(response.json["errors"]["json"]) == {"name"}
    assert _table_count() == 0


@pytest.mark.postgres
def test_duplicate_name_is_a_conflict(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    _table(client, event, organiser)
    table = _table(client, event, organiser, name="A2")
    assert (
        client.post(_url(event), json={"name": "A1"}, headers=organiser.headers).status_code == 409
    )
    response = client.patch(
        _url(event, table["id"]), json={"name": "A1"}, headers=organiser.headers
    )
    assert response.status_code == 409
    assert _table_count() == 2


@pytest.mark.postgres
def test_patch_releases_reservation_and_delete_removes(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    exhibitor = participant_factory()
    table = _table(client, event, organiser, reserved_for_id=exhibitor.id)
    url = _url(event, table["id"])
    response = client.patch(url, json={"reserved_for_id": None}, headers=organiser.headers)
    assert response.json == {**table, "reserved_for_id": None}
    assert client.delete(url, headers=organiser.headers).status_code == 204
    assert _table_count() == 0


def test_table_of_another_event_is_not_found(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    mine, other = event_factory(), event_factory()
    table = _table(client, other, organiser)
    url = _url(mine, table["id"])
    assert client.get(url, headers=organiser.headers).status_code == 404
    assert client.patch(url, json={"name": "x"}, headers=organiser.headers).status_code == 404
    assert client.delete(url, headers=organiser.headers).status_code == 404
    assert _table_count() == 1
