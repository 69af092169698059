"""The organisers' programme page: rooms and sessions through the API's schemas, posted
with the names the page's own form fields carry."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from api.accounts.keys import create_api_key, create_person
from api.extensions import db
from api.models import Room, Session
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def _add_room(client: FlaskClient, url: str, name: str, capacity: str) -> Any:
    return client.post(
        f"{url}/rooms",
        data={"csrf_token": csrf_of(client, url), "room_name": name, "room_capacity": capacity},
        follow_redirects=True,
    )


def _add_session(client: FlaskClient, url: str, title: str, length: str) -> Any:
    return client.post(
        f"{url}/sessions",
        data={
            "csrf_token": csrf_of(client, url),
            "session_title": title,
            "kind": "plenary",
            "session_length_min": length,
        },
        follow_redirects=True,
    )


def test_the_forms_fields_are_the_ones_the_page_renders(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    page = client.get(f"/events/{event['id']}/organise/programme").text
    for name in ("room_name", "room_capacity", "session_title", "session_length_min"):
        assert f'name="{name}"' in page


def test_rooms_and_sessions_are_added_and_bad_input_is_named(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/programme"
    room = _add_room(client, url, "Auditorium", "300")
    assert "Room added." in room.text and "Auditorium" in room.text
    session = _add_session(client, url, "Opening plenary", "45")
    assert "Session added." in session.text and "Opening plenary" in session.text
    refused = _add_room(client, url, "Hall", "many")
    assert refused.status_code == 422 and 'id="room-capacity-error"' in refused.text
    assert 'value="Hall"' in refused.text  # what was typed stays
    db.session.rollback()
    assert [r.name for r in db.session.scalars(select(Room))] == ["Auditorium"]
    assert [s.length_min for s in db.session.scalars(select(Session))] == [45]


def test_a_room_is_edited_and_deleted_its_sessions_stay(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/programme"
    _add_room(client, url, "Auditorium", "300")
    _add_session(client, url, "Opening plenary", "45")
    room = db.session.scalars(select(Room)).one()
    edit = f"{url}/rooms/{room.id}"
    assert f'href="{edit}"' in client.get(url).text

    refused = client.post(
        edit,
        data={"csrf_token": csrf_of(client, edit), "room_name": "", "room_capacity": "250"},
    )
    assert refused.status_code == 422 and 'id="room-name-error"' in refused.text
    saved = client.post(
        edit,
        data={"csrf_token": csrf_of(client, edit), "room_name": "Hall A", "room_capacity": "250"},
        follow_redirects=True,
    )
    assert "Room saved." in saved.text and "Hall A" in saved.text
    db.session.expire_all()
    assert (room.name, room.capacity) == ("Hall A", 250)

    deleted = client.post(
        f"{edit}/delete", data={"csrf_token": csrf_of(client, edit)}, follow_redirects=True
    )
    assert "Room Hall A deleted." in deleted.text
    db.session.expire_all()
    assert db.session.scalars(select(Room)).all() == []
    assert [s.title for s in db.session.scalars(select(Session))] == ["Opening plenary"]


def test_a_session_is_edited_and_deleted(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/programme"
    _add_session(client, url, "Opening plenary", "45")
    session = db.session.scalars(select(Session)).one()
    edit = f"{url}/sessions/{session.id}"
    page = client.get(edit).text
    assert 'value="Opening plenary"' in page and 'value="45"' in page

    saved = client.post(
        edit,
        data={
            "csrf_token": csrf_of(client, edit),
            "session_title": "Welcome",
            "kind": "workshop",
            "session_length_min": "60",
            "session_theme": "Energy",
        },
        follow_redirects=True,
    )
    assert "Session saved." in saved.text
    db.session.expire_all()
    assert (session.title, session.kind, session.length_min, session.theme) == (
        "Welcome",
        "workshop",
        60,
        "Energy",
    )
    client.post(f"{edit}/delete", data={"csrf_token": csrf_of(client, edit)})
    db.session.expire_all()
    assert db.session.scalars(select(Session)).all() == []


def test_another_events_room_is_not_found_and_a_viewer_cannot_change_the_programme(
    client: FlaskClient, organiser: Caller, event: dict[str, Any], event_factory: Any
) -> None:
    other = event_factory(name="Other Forum")
    sign_in(client, organiser.token)
    other_url = f"/events/{other['id']}/organise/programme"
    _add_room(client, other_url, "Elsewhere", "10")
    room = db.session.scalars(select(Room)).one()
    assert (
        client.get(f"/events/{event['id']}/organise/programme/rooms/{room.id}").status_code == 404
    )

    viewer = create_person("viewer", email="viewer@example.org")
    _, key = create_api_key(viewer, "laptop")
    db.session.commit()
    added = client.post(
        f"/api/v1/events/{event['id']}/members",
        json={"email": "viewer@example.org", "role": "viewer"},
        headers=organiser.headers,
    )
    assert added.status_code == 201, added.json
    sign_in(client, key)
    url = f"/events/{event['id']}/organise/programme"
    assert client.get(url).status_code == 200
    assert _add_room(client, url, "Hall", "10").status_code == 403
