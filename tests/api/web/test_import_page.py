"""Importing participants from the browser: a preview of every error before any write."""

from __future__ import annotations

import io
import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Participant
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in

HEADER = "first_name,last_name,email,organisation,organisation_type,country\n"
GOOD = (
    HEADER
    + "Ana,Ruiz,ana@example.es,Basque Energy,sme,ES\nBen,Laurent,ben@example.fr,Lyon H2,sme,FR\n"
)
BAD = (
    HEADER
    + "Ana,Ruiz,not-an-email,Basque Energy,sme,ES\n"
    + "Ben,Laurent,ben@example.fr,Lyon H2,spaceship,XX\n"
)


def _count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Participant)) or 0


def _upload(client: FlaskClient, url: str, text: str) -> Any:
    return client.post(
        url,
        data={
            "csrf_token": csrf_of(client, url),
            "file": (io.BytesIO(text.encode()), "people.csv"),
        },
        content_type="multipart/form-data",
    )


def test_preview_then_confirm_imports_every_row(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/import"
    preview = _upload(client, url, GOOD)
    assert preview.status_code == 200
    assert "2 participants will be registered" in preview.text and "ben@example.fr" in preview.text
    assert _count() == 0  # a preview writes nothing
    carried = re.search(r'name="carried" value="([^"]*)"', preview.text)
    assert carried is not None
    done = client.post(
        url,
        data={
            "csrf_token": csrf_of(client, url),
            "confirm": "yes",
            "carried": carried.group(1),
            "filename": "people.csv",
        },
        follow_redirects=True,
    )
    assert "2 participants imported." in done.text
    assert _count() == 2


def test_every_error_is_shown_by_line_and_nothing_is_written(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/import"
    answer = _upload(client, url, BAD)
    assert answer.status_code == 422
    assert "Row 2" in answer.text and "Row 3" in answer.text
    assert "email" in answer.text and "organisation" in answer.text
    assert _count() == 0


def test_import_is_for_the_events_organiser(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    url = f"/events/{event['id']}/organise/import"
    assert client.get(url).status_code == 401
    sign_in(client, participant_factory().token)
    assert client.get(url).status_code == 403
