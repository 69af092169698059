"""Roles on an event and API key scopes, through the HTTP API."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.accounts.keys import create_api_key, create_person
from api.extensions import db
from api.models import Event, Meeting
from tests.api.notifications.conftest import wait_for_mail
from tests.api.published_event import PublishedEvent, place_greedily, published_event
from tests.mail_server import SmtpServer


@dataclass(frozen=True)
class Person:
    id: int
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=12, meetings_each=2, reuse=True)


@pytest.fixture
def owner(demo: PublishedEvent) -> Person:
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    return Person(event.organiser_id, demo.organiser_key)


def person(email: str, scope: str = "full") -> Person:
    organiser = create_person(email.split("@")[0], email=email)
    _, key = create_api_key(organiser, "laptop", scope)
    db.session.commit()
    return Person(organiser.id, key)


def member(
    client: FlaskClient, demo: PublishedEvent, owner: Person, email: str, role: str
) -> Person:
    someone = person(email)
    response = client.post(
        f"/api/v1/events/{demo.event_id}/members",
        json={"email": email, "role": role},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.json
    return someone


def _draft(demo: PublishedEvent) -> int:
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    version = place_greedily(event)
    db.session.commit()
    return version.id


def _meeting_id() -> int:
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    assert meeting is not None
    return meeting.id


def test_a_viewer_reads_but_cannot_publish_or_change(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    viewer = member(client, demo, owner, "viewer@example.org", "viewer")
    base = f"/api/v1/events/{demo.event_id}"

    assert client.get(f"{base}/participants", headers=viewer.headers).status_code == 200
    assert client.get(f"{base}/meetings", headers=viewer.headers).status_code == 200
    publish = client.post(f"{base}/schedules/{_draft(demo)}/publish", headers=viewer.headers)
    assert publish.status_code == 403
    patch = client.patch(base, json={"venue": "Elsewhere"}, headers=viewer.headers)
    assert patch.status_code == 403
    held = client.post(f"{base}/meetings/{_meeting_id()}/held", headers=viewer.headers)
    assert held.status_code == 403


def test_a_check_in_member_only_marks_attendance(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    desk = member(client, demo, owner, "desk@example.org", "checkin")
    base = f"/api/v1/events/{demo.event_id}"
    meeting_id = _meeting_id()

    held = client.post(f"{base}/meetings/{meeting_id}/held", headers=desk.headers)
    assert held.status_code == 200, held.json
    assert held.json["status"] == "held"
    for method, path, body in [
        ("post", f"{base}/schedules/{_draft(demo)}/publish", None),
        ("patch", base, {"venue": "Elsewhere"}),
        ("post", f"{base}/meetings/{meeting_id}/cancel", None),
        ("post", f"{base}/jobs", {"kind": "meetings"}),
        ("post", f"{base}/members", {"email": "x@example.org", "role": "viewer"}),
    ]:
        response = getattr(client, method)(path, json=body, headers=desk.headers)
        assert response.status_code == 403, (path, response.json)


def test_a_manager_publishes_but_does_not_manage_members(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    manager = member(client, demo, owner, "manager@example.org", "manager")
    base = f"/api/v1/events/{demo.event_id}"

    publish = client.post(f"{base}/schedules/{_draft(demo)}/publish", headers=manager.headers)
    assert publish.status_code == 200, publish.json
    invite = client.post(
        f"{base}/members",
        json={"email": "y@example.org", "role": "viewer"},
        headers=manager.headers,
    )
    assert invite.status_code == 403


def test_an_organiser_who_is_no_member_sees_nothing(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    stranger = person("stranger@example.org")
    base = f"/api/v1/events/{demo.event_id}"

    assert client.get(f"{base}/meetings", headers=stranger.headers).status_code == 403
    assert client.get(f"{base}/members", headers=stranger.headers).status_code == 403


def test_an_event_keeps_its_last_owner(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    base = f"/api/v1/events/{demo.event_id}/members"
    [me] = client.get(base, headers=owner.headers).json

    demote = client.patch(f"{base}/{me['id']}", json={"role": "viewer"}, headers=owner.headers)
    leave = client.delete(f"{base}/{me['id']}", headers=owner.headers)

    assert (demote.status_code, leave.status_code) == (409, 409)


def test_a_role_is_checked_before_the_body(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    viewer = member(client, demo, owner, "viewer@example.org", "viewer")
    response = client.post(
        f"/api/v1/events/{demo.event_id}/members", json={"role": "boss"}, headers=viewer.headers
    )
    assert response.status_code == 403


def test_a_read_only_key_reads_and_is_refused_every_write(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    made = client.post(
        "/api/v1/accounts/keys", json={"name": "dashboard", "scope": "read"}, headers=owner.headers
    )
    assert made.status_code == 201, made.json
    reader = {"Authorization": f"Bearer {made.json['secret']}"}
    base = f"/api/v1/events/{demo.event_id}"

    assert client.get(f"{base}/meetings", headers=reader).status_code == 200
    assert client.patch(base, json={"venue": "X"}, headers=reader).status_code == 403
    held = client.post(f"{base}/meetings/{_meeting_id()}/held", headers=reader)
    assert held.status_code == 403
    more = client.post("/api/v1/accounts/keys", json={"name": "x"}, headers=reader)
    assert more.status_code == 403


def test_keys_are_listed_rotated_and_revoked(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    made = client.post("/api/v1/accounts/keys", json={"name": "ci"}, headers=owner.headers)
    assert made.status_code == 201
    ci = {"Authorization": f"Bearer {made.json['secret']}"}
    listed = client.get("/api/v1/accounts/keys", headers=owner.headers).json
    assert "ci" in [k["name"] for k in listed]
    assert all("secret" not in k and "key_hash" not in k for k in listed)

    rotated = client.post(f"/api/v1/accounts/keys/{made.json['id']}/rotate", headers=ci)
    assert rotated.status_code == 201
    assert client.get("/api/v1/accounts/keys", headers=ci).status_code == 401
    fresh = {"Authorization": f"Bearer {rotated.json['secret']}"}
    assert client.get("/api/v1/accounts/keys", headers=fresh).status_code == 200

    revoked = client.delete(f"/api/v1/accounts/keys/{rotated.json['id']}", headers=owner.headers)
    assert revoked.status_code == 204
    assert client.get("/api/v1/accounts/keys", headers=fresh).status_code == 401


def test_nobody_rotates_or_revokes_someone_elses_key(
    client: FlaskClient, demo: PublishedEvent, owner: Person
) -> None:
    made = client.post("/api/v1/accounts/keys", json={"name": "ci"}, headers=owner.headers)
    other = person("other@example.org")

    rotate = client.post(f"/api/v1/accounts/keys/{made.json['id']}/rotate", headers=other.headers)
    revoke = client.delete(f"/api/v1/accounts/keys/{made.json['id']}", headers=other.headers)

    assert (rotate.status_code, revoke.status_code) == (404, 404)


def test_an_invited_newcomer_creates_their_first_key_from_the_mail(
    app: Flask, client: FlaskClient, demo: PublishedEvent, owner: Person, smtp: SmtpServer
) -> None:
    base = f"/api/v1/events/{demo.event_id}"
    invite = client.post(
        f"{base}/members",
        json={"email": "New.Comer@example.org", "role": "viewer", "name": "New Comer"},
        headers=owner.headers,
    )
    assert invite.status_code == 201, invite.json
    wait_for_mail(app)

    [mail] = smtp.to("new.comer@example.org")
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "as viewer" in text
    token = re.search(r"/accounts/first-key/(\S+)", text).group(1)  # type: ignore[union-attr]
    made = client.post("/api/v1/accounts/first-key", json={"token": token})
    assert made.status_code == 201, made.json
    newcomer = {"Authorization": f"Bearer {made.json['secret']}"}
    assert client.get(f"{base}/meetings", headers=newcomer).status_code == 200
    assert client.patch(base, json={"venue": "X"}, headers=newcomer).status_code == 403

    again = client.post("/api/v1/accounts/first-key", json={"token": token})
    assert again.status_code == 401
