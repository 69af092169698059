"""The causes of the schemathesis findings (issue 17.8), one by one, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import Caller


@pytest.mark.postgres
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/2147483648",
        "/api/v1/events/{event}/participants/2147483648",
        "/api/v1/events/{event}/participants/99999999999999999999999",
        "/api/v1/events/{event}/meeting-requests/9223372036854775808",
    ],
)
def test_ids_beyond_the_database_range_are_404(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, path: str
) -> None:
    response = client.get(path.format(event=event["id"]), headers=organiser.headers)
    assert response.status_code == 404
    assert response.json["code"] == 404


@pytest.mark.postgres
def test_a_page_far_past_the_end_is_empty(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    participant_factory()
    response = client.get(
        f"/api/v1/events/{event['id']}/participants?page={2**63}", headers=organiser.headers
    )
    assert response.status_code == 200
    assert response.json == []


@pytest.mark.postgres
@pytest.mark.parametrize("capacity", [1e20, 10**20, "1e20"])
def test_numbers_out_of_range_are_422(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, capacity: Any
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/rooms",
        json={"name": "Hall", "capacity": capacity},
        headers=organiser.headers,
    )
    assert response.status_code == 422
    assert "capacity" in response.json["errors"]["json"]


def test_the_openapi_document_bounds_path_ids(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    parameter = spec["paths"]["/api/v1/events/{event_id}"]["parameters"][0]
    assert parameter["schema"]["maximum"] == 2**31 - 1
