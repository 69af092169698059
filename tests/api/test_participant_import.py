from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Participant
from tests.api.conftest import Caller

HEADER = "first_name,last_name,email,organisation,organisation_type,country,role,languages\n"
GOOD = (
    HEADER
    + "Jan,Nowak,jan@example.pl,Silesian Cluster,cluster_organisation,PL,Manager,pl;en\n"
    + "Lena,Berg,lena@example.se,Berg Robotics,sme,SE,CEO,sv\n"
)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Participant)) or 0


def _post(client: FlaskClient, event: dict[str, Any], body: str, caller: Caller | None) -> Any:
    return client.post(
        f"/api/v1/events/{event['id']}/participants/import",
        data=body.encode(),
        content_type="text/csv",
        headers=caller.headers if caller else {},
    )


def test_import_creates_all_rows_with_tokens(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    response = _post(client, event, GOOD, organiser)
    assert response.status_code == 201
    assert response.json["created"] == 2
    assert all(p["access_token"].startswith("cmp_") for p in response.json["participants"])
    assert _count() == 2


def test_import_as_multipart_upload(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    import io

    response = client.post(
        f"/api/v1/events/{event['id']}/participants/import",
        data={"file": (io.BytesIO(GOOD.encode()), "people.csv")},
        headers=organiser.headers,
    )
    assert response.status_code == 201
    assert _count() == 2


def test_one_bad_line_imports_nothing_and_names_the_line(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = GOOD + "Bad,Row,not-an-email,Nowhere Ltd,sme,XX,,\n"
    response = _post(client, event, body, organiser)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]["line 4"]
    assert "email" in errors
    assert "country" in errors["organisation"]
    assert _count() == 0


def test_duplicate_email_within_file_is_reported(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = GOOD + "Jan,Again,JAN@example.pl,Silesian Cluster,cluster_organisation,PL,,\n"
    response = _post(client, event, body, organiser)
    assert response.status_code == 422
    assert "line 4" in response.json["errors"]["json"]
    assert _count() == 0


@pytest.mark.postgres
def test_email_already_registered_is_reported_by_line(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    assert _post(client, event, GOOD, organiser).status_code == 201
    response = _post(client, event, GOOD, organiser)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"line 2", "line 3"}
    assert _count() == 2


def test_malformed_csv_is_refused(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    missing_columns = "name,mail\nJan,jan@example.pl\n"
    response = _post(client, event, missing_columns, organiser)
    assert response.status_code == 422
    assert "Missing column" in str(response.json["errors"])
    too_many_values = HEADER + "Jan,Nowak,jan@example.pl,Org,sme,PL,Role,pl,EXTRA\n"
    assert _post(client, event, too_many_values, organiser).status_code == 422
    assert _post(client, event, HEADER, organiser).status_code == 422
    binary = client.post(
        f"/api/v1/events/{event['id']}/participants/import",
        data=b"\xff\xfe\x00garbage",
        content_type="text/csv",
        headers=organiser.headers,
    )
    assert binary.status_code == 422
    assert _count() == 0


def test_only_the_events_organiser_imports(
    client: FlaskClient, event: dict[str, Any], organiser_factory: Any, participant_factory: Any
) -> None:
    assert _post(client, event, GOOD, None).status_code == 401
    assert _post(client, event, GOOD, organiser_factory("B")).status_code == 403
    assert _post(client, event, GOOD, participant_factory()).status_code == 403
    assert _count() == 1
