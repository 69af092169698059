"""Smaller findings (issue 17.11): hidden participants' organisations; blank names."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.conftest import Caller, participant_payload


def test_a_hidden_participants_organisation_is_not_listed_to_others(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    hidden = participant_factory(
        is_public=False,
        organisation={"name": "Stealth Batteries", "type": "sme", "country": "DE"},
    )
    viewer = participant_factory()
    url = f"/api/v1/events/{event['id']}/organisations"
    seen = [o["name"] for o in client.get(url, headers=viewer.headers).json]
    assert "Stealth Batteries" not in seen
    own = [o["name"] for o in client.get(url, headers=hidden.headers).json]
    assert "Stealth Batteries" in own
    everyone = [o["name"] for o in client.get(url, headers=organiser.headers).json]
    assert "Stealth Batteries" in everyone
    org_id = client.get(
        f"/api/v1/events/{event['id']}/participants/{hidden.id}", headers=hidden.headers
    ).json["organisation"]["id"]
    assert client.get(f"{url}/{org_id}", headers=viewer.headers).status_code == 404
    assert client.get(f"{url}/{org_id}", headers=hidden.headers).status_code == 200


def test_an_organisation_name_of_spaces_is_422(client: FlaskClient, event: dict[str, Any]) -> None:
    organisation = participant_payload()["organisation"] | {"name": "   "}
    response = client.post(
        f"/api/v1/events/{event['id']}/participants",
        json=participant_payload(organisation=organisation),
    )
    assert response.status_code == 422
    assert "name" in response.json["errors"]["json"]["organisation"]


def test_a_person_name_of_spaces_is_422(client: FlaskClient, event: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/participants", json=participant_payload(last_name="  ")
    )
    assert response.status_code == 422
    assert "last_name" in response.json["errors"]["json"]
