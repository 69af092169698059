"""The organisers' programme page: rooms and sessions through the API's schemas."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Room, Session
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def test_rooms_and_sessions_are_added_and_bad_input_is_named(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/programme"
    room = client.post(
        f"{url}/rooms",
        data={"csrf_token": csrf_of(client, url), "name": "Auditorium", "capacity": "300"},
        follow_redirects=True,
    )
    assert "Room added." in room.text and "Auditorium" in room.text
    session = client.post(
        f"{url}/sessions",
        data={
            "csrf_token": csrf_of(client, url),
            "title": "Opening plenary",
            "kind": "plenary",
            "length_min": "45",
        },
        follow_redirects=True,
    )
    assert "Session added." in session.text and "Opening plenary" in session.text
    refused = client.post(
        f"{url}/rooms",
        data={"csrf_token": csrf_of(client, url), "name": "Hall", "capacity": "many"},
    )
    assert refused.status_code == 422 and 'id="room-capacity-error"' in refused.text
    db.session.rollback()
    assert [r.name for r in db.session.scalars(select(Room))] == ["Auditorium"]
    assert [s.length_min for s in db.session.scalars(select(Session))] == [45]
