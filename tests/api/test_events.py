from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Event
from tests.api.conftest import Caller, event_payload


def _event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event)) or 0


def test_organiser_creates_event_with_meeting_settings(
    client: FlaskClient, organiser: Caller
) -> None:
    response = client.post("/api/v1/events", json=event_payload(), headers=organiser.headers)
    assert response.status_code == 201
    body = response.json
    assert body["timezone"] == "Europe/Brussels"
    assert len(body["meeting_settings"]["blocks"]) == 2
    assert body["rules"]["cross_border_only"] is False


def test_anonymous_cannot_create_event_even_with_bad_body(client: FlaskClient) -> None:
    response = client.post("/api/v1/events", json={"name": 3})
    assert response.status_code == 401
    assert _event_count() == 0


def test_bad_input_names_every_field_and_writes_nothing(
    client: FlaskClient, organiser: Caller
) -> None:
    payload = event_payload(timezone="Europe/Atlantis", slug="Not A Slug", unknown_field=1)
    payload["start_date"] = 12
    response = client.post("/api/v1/events", json=payload, headers=organiser.headers)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert set(errors) >= {"timezone", "slug", "unknown_field", "start_date"}
    assert _event_count() == 0


def test_meeting_block_outside_event_days_is_refused(
    client: FlaskClient, organiser: Caller
) -> None:
    payload = event_payload()
    payload["meeting_settings"]["blocks"].append(
        {"day": "2027-04-01", "start": "09:00", "end": "10:00"}
    )
    response = client.post("/api/v1/events", json=payload, headers=organiser.headers)
    assert response.status_code == 422
    assert "meeting_settings.blocks" in response.json["errors"]["json"]


def test_meeting_longer_than_block_is_refused(client: FlaskClient, organiser: Caller) -> None:
    payload = event_payload()
    payload["meeting_settings"]["meeting_length_min"] = 240
    payload["meeting_settings"]["blocks"] = [
        {"day": "2027-03-10", "start": "09:30", "end": "10:30"}
    ]
    response = client.post("/api/v1/events", json=payload, headers=organiser.headers)
    assert response.status_code == 422
    assert "shorter than one meeting" in str(response.json["errors"])


@pytest.mark.postgres
def test_duplicate_slug_is_a_conflict(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/events", json=event_payload(slug=event["slug"]), headers=organiser.headers
    )
    assert response.status_code == 409
    assert _event_count() == 1


def test_patch_is_validated_against_the_merged_event(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    url = f"/api/v1/events/{event['id']}"
    response = client.patch(url, json={"end_date": "2027-03-01"}, headers=organiser.headers)
    assert response.status_code == 422
    assert "end_date" in response.json["errors"]["json"]
    response = client.patch(
        url, json={"meeting_settings": {"meeting_length_min": 20}}, headers=organiser.headers
    )
    assert response.status_code == 200
    assert response.json["meeting_settings"]["meeting_length_min"] == 20
    assert len(response.json["meeting_settings"]["blocks"]) == 2


def test_other_organiser_cannot_change_or_delete_event(
    client: FlaskClient, organiser_factory: Any, event: dict[str, Any]
) -> None:
    intruder = organiser_factory("Organiser B")
    url = f"/api/v1/events/{event['id']}"
    assert client.patch(url, json={"name": "x"}, headers=intruder.headers).status_code == 403
    assert client.delete(url, headers=intruder.headers).status_code == 403
    assert client.patch(url, json={"name": "x"}).status_code == 401
    assert client.get(url).json["name"] == event["name"]


@pytest.mark.postgres
def test_owner_deletes_event(client: FlaskClient, organiser: Caller, event: dict[str, Any]) -> None:
    assert (
        client.delete(f"/api/v1/events/{event['id']}", headers=organiser.headers).status_code == 204
    )
    assert client.get(f"/api/v1/events/{event['id']}").status_code == 404


def test_list_filters_and_paginates(
    client: FlaskClient, organiser_factory: Any, event_factory: Any
) -> None:
    other = organiser_factory("Organiser B")
    event_factory(kind="conference")
    event_factory(owner=other)
    event_factory()
    page = client.get("/api/v1/events?page_size=2")
    assert len(page.json) == 2
    assert '"total": 3' in page.headers["X-Pagination"]
    assert len(client.get("/api/v1/events?kind=conference").json) == 1
    mine = client.get("/api/v1/events?mine=true", headers=other.headers)
    assert len(mine.json) == 1
    assert client.get("/api/v1/events?mine=true").status_code == 401


def test_slots_follow_blocks_and_meeting_length(client: FlaskClient, event: dict[str, Any]) -> None:
    slots = client.get(f"/api/v1/events/{event['id']}/slots").json
    # 09:30-12:30 holds 6 half-hour slots, 14:00-17:30 holds 7.
    assert len(slots) == 13
    assert slots[0]["start_dt"] == "2027-03-10T09:30:00+01:00"


def test_invalid_token_is_401(client: FlaskClient) -> None:
    response = client.get("/api/v1/events", headers={"Authorization": "Bearer cmo_forged"})
    assert response.status_code == 401


def test_openapi_document_and_docs_are_served(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/events" in spec.json["paths"]
    assert client.get("/api/docs").status_code == 200
