"""Joining an organisation that is already registered, in the browser: the form says the
join waits for approval; the organiser's dashboard and a colleague's profile page list
pending joins with an Approve button."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from api.extensions import db
from api.models import Participant
from tests.api.conftest import Caller, signed_in
from tests.api.web.forms import csrf_of, sign_in


def _join(client: FlaskClient, event: dict[str, Any], organisation_id: int) -> tuple[str, int]:
    """Register Mia through the web form, joining the organisation; the "check your mail"
    page, which says the join waits (from the form: the page never depends on whether the
    address was registered)."""
    url = f"/events/{event['id']}/register"
    form = csrf_of(client, url)
    assert "waits for the approval" in client.get(url).text
    page = client.post(
        url,
        data={
            "csrf_token": form,
            "first_name": "Mia",
            "last_name": "Chen",
            "email": "mia@example.org",
            "attendance": "on_site",
            "organisation_id": str(organisation_id),
            "consent": "yes",
            "is_public": "yes",
        },
    )
    assert page.status_code == 200, page.text[:800]
    mia = db.session.scalar(db.select(Participant).where(Participant.email == "mia@example.org"))
    assert mia is not None
    return page.text, mia.id


def _organisation_of(caller: Caller) -> int:
    found = db.session.get(Participant, caller.id)
    assert found is not None
    return found.organisation_id


def _approve(client: FlaskClient, page_url: str, event_id: int, participant_id: int) -> Any:
    return client.post(
        f"/events/{event_id}/members/{participant_id}/approve",
        data={"csrf_token": csrf_of(client, page_url)},
    )


def _is_pending(participant_id: int) -> bool:
    db.session.expire_all()
    found = db.session.get(Participant, participant_id)
    assert found is not None
    return found.is_membership_pending


def test_a_join_waits_and_the_organiser_approves_it_from_the_dashboard(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    ana = participant_factory()
    welcome, mia = _join(client, event, _organisation_of(ana))
    assert 'id="membership-pending"' in welcome
    assert _is_pending(mia)

    sign_in(client, organiser.token)
    dashboard = f"/events/{event['id']}/organise"
    page = client.get(dashboard).text
    assert 'id="pending"' in page and "Mia Chen" in page
    approved = _approve(client, dashboard, event["id"], mia)
    assert approved.status_code == 302
    assert approved.headers["Location"].endswith(f"{dashboard}#pending")
    assert not _is_pending(mia)
    assert 'id="pending"' not in client.get(dashboard).text


def test_an_approved_colleague_approves_from_their_profile_and_a_stranger_may_not(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana = participant_factory()
    stranger = participant_factory()
    _, mia = _join(client, event, _organisation_of(ana))
    profile = f"/events/{event['id']}/me/profile"

    sign_in(client, stranger.token)
    assert "Mia Chen" not in client.get(profile).text
    assert _approve(client, profile, event["id"], mia).status_code == 403
    assert _is_pending(mia)

    sign_in(client, ana.token)
    page = client.get(profile).text
    assert 'id="colleagues"' in page and "Mia Chen" in page
    approved = _approve(client, profile, event["id"], mia)
    assert approved.status_code == 302
    assert not _is_pending(mia)
    assert "is now a member of" in client.get(profile).text


def test_a_pending_member_sees_the_wait_and_cannot_approve_anyone(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana = participant_factory()
    _, mia = _join(client, event, _organisation_of(ana))
    profile = f"/events/{event['id']}/me/profile"
    sign_in(client, signed_in(event["id"], "mia@example.org").token)  # her mailed link
    page = client.get(profile).text
    assert 'id="membership-pending"' in page
    assert _approve(client, profile, event["id"], mia).status_code == 403
    client.post("/signout", data={"csrf_token": csrf_of(client, "/signin")})
    assert _approve(client, "/signin", event["id"], mia).status_code == 401
