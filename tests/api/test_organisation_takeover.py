"""Organisation takeover (issue 17.2): joining needs approval; rule fields are the organiser's."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from api.extensions import db
from api.models import Organisation
from tests.api.conftest import Caller, participant_payload, signed_in


def _url(event: dict[str, Any], path: str = "") -> str:
    return f"/api/v1/events/{event['id']}{path}"


def _profile(client: FlaskClient, event: dict[str, Any], who: Caller) -> dict[str, Any]:
    response = client.get(_url(event, f"/participants/{who.id}"), headers=who.headers)
    assert response.status_code == 200
    return response.json  # type: ignore[no-any-return]


def _org_of(client: FlaskClient, event: dict[str, Any], who: Caller) -> int:
    return int(_profile(client, event, who)["organisation"]["id"])


def _register(client: FlaskClient, event: dict[str, Any], **payload: Any) -> Caller:
    data = participant_payload(**payload)
    response = client.post(_url(event, "/participants"), json=data)
    assert response.status_code == 202, response.json
    return signed_in(event["id"], data["email"])


def _join_by_id(client: FlaskClient, event: dict[str, Any], organisation_id: int) -> Caller:
    payload = participant_payload(organisation_id=organisation_id)
    del payload["organisation"]
    response = client.post(_url(event, "/participants"), json=payload)
    assert response.status_code == 202, response.json
    caller = signed_in(event["id"], payload["email"])
    assert _profile(client, event, caller)["membership"] == "pending"
    return caller


def test_moving_oneself_to_another_organisation_gives_no_rights_over_it(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    owner, intruder = participant_factory(), participant_factory()
    target = _org_of(client, event, owner)
    moved = client.patch(
        _url(event, f"/participants/{intruder.id}"),
        json={"organisation_id": target},
        headers=intruder.headers,
    )
    assert moved.status_code == 200, moved.json
    assert moved.json["membership"] == "pending"
    response = client.patch(
        _url(event, f"/organisations/{target}"),
        json={"website": "https://evil.example"},
        headers=intruder.headers,
    )
    assert response.status_code == 403
    assert db.session.get(Organisation, target).website == ""  # type: ignore[union-attr]


def test_a_colleague_approves_a_pending_member_who_then_represents_the_organisation(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    owner = participant_factory()
    target = _org_of(client, event, owner)
    newcomer = _join_by_id(client, event, target)
    approve = _url(event, f"/participants/{newcomer.id}/approve-membership")
    assert client.post(approve, headers=newcomer.headers).status_code == 403
    outsider = participant_factory()
    assert client.post(approve, headers=outsider.headers).status_code == 403
    response = client.post(approve, headers=owner.headers)
    assert response.status_code == 200, response.json
    assert response.json["membership"] == "approved"
    edit = client.patch(
        _url(event, f"/organisations/{target}"),
        json={"website": "https://cluster.example"},
        headers=newcomer.headers,
    )
    assert edit.status_code == 200, edit.json


def test_the_organiser_approves_a_pending_member(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    newcomer = _join_by_id(client, event, _org_of(client, event, participant_factory()))
    response = client.post(
        _url(event, f"/participants/{newcomer.id}/approve-membership"), headers=organiser.headers
    )
    assert response.status_code == 200
    assert response.json["membership"] == "approved"


def test_a_pending_member_cannot_ask_for_meetings(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    other = participant_factory()
    newcomer = _join_by_id(client, event, _org_of(client, event, participant_factory()))
    response = client.post(
        _url(event, "/meeting-requests"), json={"invitee_id": other.id}, headers=newcomer.headers
    )
    assert response.status_code == 409
    assert "approv" in response.json["message"]


def test_registering_with_an_existing_name_joins_pending_and_keeps_its_sectors(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    for slug in ("energy", "textiles"):
        client.post(
            _url(event, "/tags"),
            json={"slug": slug, "label": slug.title(), "kind": "sector"},
            headers=organiser.headers,
        )
    org = {"name": "Aero Valley", "type": "cluster_organisation", "country": "FR"}
    first = _register(client, event, organisation={**org, "sectors": ["energy"]})
    assert _profile(client, event, first)["membership"] == "approved"
    second = _register(
        client, event, organisation={**org, "country": "DE", "sectors": ["textiles"]}
    )
    assert _profile(client, event, second)["membership"] == "pending"
    stored = db.session.get(Organisation, _org_of(client, event, first))
    assert stored is not None
    assert [tag.slug for tag in stored.tags] == ["energy"]
    assert stored.country == "FR"


def test_a_participant_cannot_set_their_own_group(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    me = participant_factory()
    response = client.patch(
        _url(event, f"/participants/{me.id}"), json={"group": "buyer"}, headers=me.headers
    )
    assert response.status_code == 403
    assert "group" in response.json["message"]
    registered = client.post(_url(event, "/participants"), json=participant_payload(group="buyer"))
    assert registered.status_code == 403
    by_organiser = client.patch(
        _url(event, f"/participants/{me.id}"), json={"group": "buyer"}, headers=organiser.headers
    )
    assert by_organiser.status_code == 200
    assert by_organiser.json["group"] == "buyer"


def test_only_the_organiser_changes_an_organisations_country_and_type(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    me = participant_factory()
    org = _org_of(client, event, me)
    for change in ({"country": "FR"}, {"type": "sme"}):
        response = client.patch(
            _url(event, f"/organisations/{org}"), json=change, headers=me.headers
        )
        assert response.status_code == 403, change
        assert next(iter(change)) in response.json["message"]
    response = client.patch(
        _url(event, f"/organisations/{org}"), json={"country": "FR"}, headers=organiser.headers
    )
    assert response.status_code == 200
    assert response.json["country"] == "FR"
