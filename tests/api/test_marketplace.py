from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.conftest import Caller


def _opps(event: dict[str, Any], suffix: str = "") -> str:
    return f"/api/v1/events/{event['id']}/opportunities{suffix}"


OFFER = {"kind": "offer", "title": "Battery recycling pilot line", "description": "Hydromet"}


def test_participant_publishes_and_others_filter(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    alice, bob = participant_factory(), participant_factory()
    created = client.post(_opps(event), json=OFFER, headers=alice.headers)
    assert created.status_code == 201
    assert created.json["participant_id"] == alice.id
    client.post(_opps(event), json={**OFFER, "kind": "request"}, headers=bob.headers)
    offers = client.get(_opps(event) + "?kind=offer", headers=bob.headers).json
    assert [o["participant_id"] for o in offers] == [alice.id]
    assert len(client.get(_opps(event) + "?q=recycling", headers=bob.headers).json) == 2


def test_only_author_or_organiser_changes_an_opportunity(
    client: FlaskClient,
    event: dict[str, Any],
    participant_factory: Any,
    organiser: Caller,
    organiser_factory: Any,
) -> None:
    alice, bob = participant_factory(), participant_factory()
    item = client.post(_opps(event), json=OFFER, headers=alice.headers).json
    url = _opps(event, f"/{item['id']}")
    assert client.patch(url, json={"title": "x"}, headers=bob.headers).status_code == 403
    assert (
        client.patch(url, json={"title": "x"}, headers=organiser_factory("B").headers).status_code
        == 403
    )
    assert client.patch(url, json={"title": "x"}).status_code == 401
    assert client.patch(url, json={"title": "New"}, headers=alice.headers).json["title"] == "New"
    assert client.delete(url, headers=organiser.headers).status_code == 204


def test_participant_cannot_publish_for_someone_else(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    alice, bob = participant_factory(), participant_factory()
    response = client.post(
        _opps(event), json={**OFFER, "participant_id": bob.id}, headers=alice.headers
    )
    assert response.status_code == 403
    missing_owner = client.post(_opps(event), json=OFFER, headers=organiser.headers)
    assert missing_owner.status_code == 422
    assert "participant_id" in missing_owner.json["errors"]["json"]
    for_bob = client.post(
        _opps(event), json={**OFFER, "participant_id": bob.id}, headers=organiser.headers
    )
    assert for_bob.status_code == 201


def test_bad_opportunity_names_fields(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    alice = participant_factory()
    response = client.post(
        _opps(event), json={"kind": "gift", "title": "", "tags": ["nope"]}, headers=alice.headers
    )
    assert response.status_code == 422
    assert {"kind", "title"} <= set(response.json["errors"]["json"])
    assert client.get(_opps(event), headers=alice.headers).json == []


def test_organisation_edit_rights(
    client: FlaskClient,
    event: dict[str, Any],
    participant_factory: Any,
    organiser: Caller,
) -> None:
    alice, bob = participant_factory(), participant_factory()
    org_id = client.get(
        f"/api/v1/events/{event['id']}/participants/{alice.id}", headers=alice.headers
    ).json["organisation"]["id"]
    url = f"/api/v1/events/{event['id']}/organisations/{org_id}"
    assert client.patch(url, json={"region": "Norte"}, headers=bob.headers).status_code == 403
    assert (
        client.patch(url, json={"region": "Norte"}, headers=alice.headers).json["region"] == "Norte"
    )
    assert client.patch(url, json={"country": "ZZ"}, headers=organiser.headers).status_code == 422
    assert client.delete(url, headers=organiser.headers).status_code == 409
    listed = client.get(f"/api/v1/events/{event['id']}/organisations", headers=bob.headers)
    assert len(listed.json) == 2
