"""The organisers' team page: members and roles, invitations, role changes, removal,
with the members API's rules (an event keeps an owner; only owners change the team)."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from api.accounts.keys import create_api_key
from api.extensions import db
from api.models import EventMember, Organiser
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def _invite(client: FlaskClient, url: str, **fields: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_of(client, url), **fields})


def _member_id(event_id: int, email: str) -> int:
    found = db.session.scalar(
        select(EventMember.id)
        .join(Organiser, Organiser.id == EventMember.organiser_id)
        .where(EventMember.event_id == event_id, Organiser.email == email)
    )
    assert found is not None
    return int(found)


def test_an_owner_invites_changes_a_role_and_removes_a_member(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/team"
    assert f'href="{url}"' in client.get(f"/events/{event['id']}/organise").text
    page = client.get(url).text
    assert "Organiser A" in page and "Invite someone" in page

    invited = _invite(client, url, email="Lea@Example.org", name="Lea", role="viewer")
    assert invited.status_code == 302
    page = client.get(url).text
    assert "lea@example.org" in page and "now on the team" in page
    lea = _member_id(event["id"], "lea@example.org")

    changed = client.post(
        f"{url}/{lea}/role", data={"csrf_token": csrf_of(client, url), "role": "manager"}
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assert db.session.get(EventMember, lea).role == "manager"  # type: ignore[union-attr]

    client.post(f"{url}/{lea}/remove", data={"csrf_token": csrf_of(client, url)})
    db.session.expire_all()
    assert db.session.get(EventMember, lea) is None


def test_bad_invitations_name_the_field_and_the_last_owner_stays(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/team"
    no_email = _invite(client, url, email="", role="viewer")
    assert no_email.status_code == 422 and 'id="email-error"' in no_email.text
    bad_role = _invite(client, url, email="lea@example.org", role="emperor")
    assert bad_role.status_code == 422 and 'id="role-error"' in bad_role.text
    assert _invite(client, url, email="lea@example.org", role="viewer").status_code == 302
    twice = _invite(client, url, email="lea@example.org", role="viewer")
    assert twice.status_code == 409 and "already a member" in twice.text

    owner = db.session.scalar(
        select(EventMember.id).where(
            EventMember.event_id == event["id"], EventMember.organiser_id == organiser.id
        )
    )
    kept = client.post(
        f"{url}/{owner}/remove", data={"csrf_token": csrf_of(client, url)}, follow_redirects=True
    )
    assert "keeps at least one owner" in kept.text
    assert db.session.get(EventMember, owner) is not None


def test_a_viewer_sees_the_team_but_cannot_change_it(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/team"
    _invite(client, url, email="vic@example.org", name="Vic", role="viewer")
    vic = db.session.scalar(select(Organiser).where(Organiser.email == "vic@example.org"))
    assert vic is not None
    _, key = create_api_key(vic, "laptop")
    db.session.commit()

    sign_in(client, key)
    page = client.get(url)
    assert page.status_code == 200 and "Vic" in page.text
    assert "Invite someone" not in page.text
    assert not re.search(r'action="[^"]*/remove"', page.text)
    refused = _invite(client, url, email="eve@example.org", role="owner")
    assert refused.status_code == 403
