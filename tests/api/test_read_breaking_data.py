"""Data that once accepted broke reads for good (issue 17.7)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.exc import IntegrityError

from api.extensions import db
from api.models import MeetingTable, Participant
from tests.api.conftest import Caller, event_payload, participant_payload


@pytest.mark.parametrize("text", ["Ana\u000bMaria", "Ana\u0000", "Ana\ud800", "\u001f"])
def test_control_characters_and_lone_surrogates_in_text_are_422(
    client: FlaskClient, event: dict[str, Any], text: str
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/participants", json=participant_payload(first_name=text)
    )
    assert response.status_code == 422
    assert "first_name" in response.json["errors"]["json"]


def test_control_characters_in_a_query_are_422(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    response = client.get(
        f"/api/v1/events/{event['id']}/participants?q=a%00b", headers=organiser.headers
    )
    assert response.status_code == 422
    assert "q" in response.json["errors"]["json"]


def test_tabs_and_newlines_stay_allowed(client: FlaskClient, event: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/participants",
        json=participant_payload(description="Line one\n\tLine two\r\n"),
    )
    assert response.status_code == 202, response.json


def test_the_xlsx_export_survives_control_characters_already_stored(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    me = participant_factory()
    stored = db.session.get(Participant, me.id)
    assert stored is not None
    stored.first_name = "Ana\u000bMaria"
    db.session.commit()
    response = client.get(
        f"/api/v1/events/{event['id']}/exports/participants.xlsx", headers=organiser.headers
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "AnaMaria" in values or any("AnaMaria" in str(v) for v in values)


@pytest.mark.parametrize(
    "change",
    [
        {"start_date": "9999-12-30", "end_date": "9999-12-31"},
        {"start_date": "1899-01-01", "end_date": "1899-01-02"},
        {"registration_closes_dt": "9999-12-31T23:00:00-05:00"},
    ],
)
def test_dates_out_of_range_are_422(
    client: FlaskClient, organiser: Caller, change: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/events", json=event_payload(**change), headers=organiser.headers
    )
    assert response.status_code == 422
    assert set(change) & set(response.json["errors"]["json"])


def test_availability_in_year_9999_is_422(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    me = participant_factory()
    window = {"start_dt": "9999-12-31T10:00:00-05:00", "end_dt": "9999-12-31T11:00:00-05:00"}
    response = client.put(
        f"/api/v1/events/{event['id']}/participants/{me.id}/availability",
        json={"windows": [window]},
        headers=me.headers,
    )
    assert response.status_code == 422


def test_a_participant_has_at_most_one_booth(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    exhibitor = participant_factory()
    url = f"/api/v1/events/{event['id']}/tables"
    first = client.post(
        url, json={"name": "B1", "reserved_for_id": exhibitor.id}, headers=organiser.headers
    )
    assert first.status_code == 201
    second = client.post(
        url, json={"name": "B2", "reserved_for_id": exhibitor.id}, headers=organiser.headers
    )
    assert second.status_code == 422
    assert "reserved_for_id" in second.json["errors"]["json"]
    other = client.post(url, json={"name": "B3"}, headers=organiser.headers)
    assert other.status_code == 201
    moved = client.patch(
        f"{url}/{other.json['id']}",
        json={"reserved_for_id": exhibitor.id},
        headers=organiser.headers,
    )
    assert moved.status_code == 422


@pytest.mark.postgres
def test_the_database_keeps_one_booth_per_participant(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    exhibitor = participant_factory()
    db.session.add(MeetingTable(event_id=event["id"], name="B1", reserved_for_id=exhibitor.id))
    db.session.add(MeetingTable(event_id=event["id"], name="B2", reserved_for_id=exhibitor.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_csv_import_with_control_characters_is_refused(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    text = (
        "first_name,last_name,email,organisation,organisation_type,country\n"
        "Ana\u000b,Ruiz,ana@example.org,Basque Cluster,cluster_organisation,ES\n"
    )
    response = client.post(
        f"/api/v1/events/{event['id']}/participants/import",
        data=text.encode(),
        headers={**organiser.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    (row,) = response.json["errors"]["json"]["rows"]
    assert row["line"] == 2
    assert "Control characters" in " ".join(row["errors"]["first_name"])
