"""Body and field size limits (issue 17.5): 413 for bodies, 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Participant
from tests.api.conftest import Caller, event_payload, participant_payload


def _participants() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Participant)) or 0)


def test_an_oversized_body_is_refused_unread_with_413(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    assert limit is not None and limit <= 5 * 1024 * 1024
    payload = participant_payload(description="x" * (limit + 1))
    response = client.post(f"/api/v1/events/{event['id']}/participants", json=payload)
    assert response.status_code == 413
    assert response.json["code"] == 413
    assert _participants() == 0


def test_a_huge_event_description_is_422(client: FlaskClient, organiser: Caller) -> None:
    response = client.post(
        "/api/v1/events",
        json=event_payload(description="x" * 100_001),
        headers=organiser.headers,
    )
    assert response.status_code == 422
    assert "description" in response.json["errors"]["json"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("interests", [f"tag-{n}" for n in range(1000)]),
        ("interests", "batteries"),
        ("interests", [1, 2]),
        ("interests", [{"slug": "x"}]),
        ("languages", ["en"] * 1000),
        ("first_name", "x" * 101),
    ],
)
def test_registration_fields_are_bounded_and_typed(
    client: FlaskClient, event: dict[str, Any], field: str, value: Any
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/participants", json=participant_payload(**{field: value})
    )
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert _participants() == 0


def test_organisation_sectors_are_bounded(client: FlaskClient, event: dict[str, Any]) -> None:
    organisation = participant_payload()["organisation"] | {"sectors": ["s"] * 1000}
    response = client.post(
        f"/api/v1/events/{event['id']}/participants",
        json=participant_payload(organisation=organisation),
    )
    assert response.status_code == 422
    assert "sectors" in response.json["errors"]["json"]["organisation"]


def _window(hour: int) -> dict[str, str]:
    return {
        "start_dt": f"2027-03-10T{hour:02d}:00:00+01:00",
        "end_dt": f"2027-03-10T{hour:02d}:30:00+01:00",
    }


def test_availability_windows_are_bounded_and_may_not_overlap(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    me = participant_factory()
    url = f"/api/v1/events/{event['id']}/participants/{me.id}/availability"
    many = client.put(url, json={"windows": [_window(10)] * 10_000}, headers=me.headers)
    assert many.status_code == 422
    assert "windows" in many.json["errors"]["json"]
    twice = client.put(url, json={"windows": [_window(10), _window(10)]}, headers=me.headers)
    assert twice.status_code == 422
    assert "windows" in twice.json["errors"]["json"]
    fine = client.put(url, json={"windows": [_window(10), _window(14)]}, headers=me.headers)
    assert fine.status_code == 200, fine.json
