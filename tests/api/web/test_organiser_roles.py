"""Organiser pages ask the role the API asks: reading for a page, managing for a form,
attendance for the check-in desk's buttons; a read-only key signs in a browser that reads."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from api.accounts.keys import create_api_key, create_person
from api.extensions import db
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def _member_key(
    client: FlaskClient, owner: Caller, event_id: int, role: str, scope: str = "full"
) -> str:
    email = f"{role}-{scope}@example.org"
    person = create_person(role, email=email)
    _, key = create_api_key(person, "laptop", scope)
    db.session.commit()
    added = client.post(
        f"/api/v1/events/{event_id}/members",
        json={"email": email, "role": role},
        headers=owner.headers,
    )
    assert added.status_code == 201, added.json
    return key


def _post(client: FlaskClient, page: str, target: str, **fields: str) -> int:
    return client.post(target, data={"csrf_token": csrf_of(client, page), **fields}).status_code


@pytest.mark.parametrize(("role", "scope"), [("viewer", "full"), ("manager", "read")])
def test_a_reader_opens_the_pages_but_no_form_changes_anything(
    client: FlaskClient, organiser: Caller, event: dict[str, Any], role: str, scope: str
) -> None:
    base = f"/events/{event['id']}/organise"
    sign_in(client, _member_key(client, organiser, event["id"], role, scope))
    for page in ("", "/settings", "/webhooks", "/day", "/programme", "/team", "/import"):
        assert client.get(base + page).status_code == 200, page
    refused = {
        "settings": _post(client, base, f"{base}/settings", name="Renamed"),
        "webhooks": _post(client, base, f"{base}/webhooks", url="https://hooks.example.org/x"),
        "jobs": _post(client, base, f"{base}/jobs", kind="meetings"),
        "tables": _post(client, base, f"{base}/tables", count="2"),
        "re-solve": _post(client, base, f"{base}/day/re-solve"),
        "cancel": _post(client, base, f"{base}/day/meetings/999/cancel"),
        "room": _post(client, base, f"{base}/programme/rooms", room_name="A", room_capacity="9"),
    }
    assert refused == dict.fromkeys(refused, 403)


def test_the_check_in_desk_marks_attendance_but_cancels_nothing(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    base = f"/events/{event['id']}/organise"
    sign_in(client, _member_key(client, organiser, event["id"], "checkin"))
    # Past the role check, the unknown meeting is the operation's refusal (shown on the page).
    held = client.post(
        f"{base}/day/meetings/999/held",
        data={"csrf_token": csrf_of(client, f"{base}/day")},
        follow_redirects=True,
    )
    assert held.status_code == 200 and "not found" in held.text.lower()
    assert _post(client, f"{base}/day", f"{base}/day/meetings/999/cancel") == 403
