"""Explained recommendations through the API, on hand-made profiles."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import Caller


@pytest.fixture
def person(client: FlaskClient, event: dict[str, Any], participant_factory: Any) -> Any:
    """A participant with an organisation of the given country and type and some items."""

    def make(
        name: str,
        country: str = "ES",
        org_type: str = "sme",
        items: tuple[tuple[str, str, list[str]], ...] = (),
        **overrides: Any,
    ) -> Caller:
        caller: Caller = participant_factory(
            organisation={"name": f"{name} Ltd", "type": org_type, "country": country},
            **overrides,
        )
        for kind, title, tags in items:
            response = client.post(
                f"/api/v1/events/{event['id']}/opportunities",
                json={"kind": kind, "title": title, "tags": tags},
                headers=caller.headers,
            )
            assert response.status_code == 201, response.json
        return caller

    return make


@pytest.fixture
def taxonomy(client: FlaskClient, event: dict[str, Any], organiser: Caller) -> None:
    for slug, label in (("batteries", "Batteries"), ("hydrogen", "Hydrogen")):
        response = client.post(
            f"/api/v1/events/{event['id']}/tags",
            json={"slug": slug, "label": label, "kind": "sector"},
            headers=organiser.headers,
        )
        assert response.status_code == 201, response.json


REQUEST = ("request", "Battery recycling partner for used cells", ["batteries"])
OFFER = ("offer", "Battery recycling pilot line for used cells", ["batteries"])
HYDROGEN = ("offer", "Hydrogen electrolyser maintenance", ["hydrogen"])


def _recommend(
    client: FlaskClient, event: dict[str, Any], whom: Caller, viewer: Caller, query: str = ""
) -> Any:
    return client.get(
        f"/api/v1/events/{event['id']}/participants/{whom.id}/recommendations{query}",
        headers=viewer.headers,
    )


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json
    return [r["candidate"]["id"] for r in response.json]


def _rules(client: FlaskClient, event: dict[str, Any], organiser: Caller, **rules: Any) -> None:
    response = client.patch(
        f"/api/v1/events/{event['id']}", json={"rules": rules}, headers=organiser.headers
    )
    assert response.status_code == 200, response.json


@pytest.mark.usefixtures("taxonomy")
def test_offer_matching_a_request_ranks_first_with_its_reason(
    client: FlaskClient, event: dict[str, Any], person: Any
) -> None:
    alice = person("Alice", items=(REQUEST,))
    bob = person("Bob", "DE", items=(OFFER,))
    person("Carol", "FR", items=(HYDROGEN,))
    response = _recommend(client, event, alice, alice)
    assert response.status_code == 200, response.json
    first = response.json[0]
    assert first["candidate"]["id"] == bob.id
    assert first["rank"] == 1
    assert first["score"] > 0
    assert first["breakdown"]["they_offer"] > 0
    reason = first["reasons"][0]
    assert reason["kind"] == "offer_matches_request"
    assert "battery recycling pilot line" in reason["text"].lower()
    assert "which you request" in reason["text"]
    assert reason["their_item"]["kind"] == "offer"
    assert isinstance(reason["their_item"]["id"], int)
    assert reason["your_item"]["title"] == REQUEST[1]
    assert reason["tags"] == ["batteries"]


@pytest.mark.usefixtures("taxonomy")
def test_mutual_interest_comes_first(
    client: FlaskClient, event: dict[str, Any], person: Any
) -> None:
    alice = person("Alice", items=(REQUEST, HYDROGEN))
    one_way = person("Bob", "DE", items=(OFFER,))
    mutual = person(
        "Dora",
        "IT",
        items=(
            ("offer", "Battery recycling", ["batteries"]),
            ("request", "Hydrogen electrolyser maintenance", ["hydrogen"]),
        ),
    )
    response = _recommend(client, event, alice, alice)
    ids = _ids(response)
    assert ids[0] == mutual.id and one_way.id in ids
    assert response.json[0]["is_mutual"] is True


@pytest.mark.usefixtures("taxonomy")
def test_only_the_participant_or_the_organiser_sees_recommendations(
    client: FlaskClient, event: dict[str, Any], person: Any, organiser: Caller
) -> None:
    alice = person("Alice", items=(REQUEST,))
    bob = person("Bob", "DE", items=(OFFER,))
    assert _ids(_recommend(client, event, alice, organiser)) == [bob.id]
    assert _recommend(client, event, alice, bob).status_code == 403
    assert (
        client.get(
            f"/api/v1/events/{event['id']}/participants/{alice.id}/recommendations"
        ).status_code
        == 401
    )
    assert _recommend(client, event, alice, alice, "?limit=0").status_code == 422


@pytest.mark.usefixtures("taxonomy")
def test_limit_caps_the_list(client: FlaskClient, event: dict[str, Any], person: Any) -> None:
    alice = person("Alice", items=(REQUEST,))
    for name in ("Bob", "Ben", "Bea"):
        person(name, "DE", items=(OFFER,))
    assert len(_ids(_recommend(client, event, alice, alice, "?limit=2"))) == 2


@pytest.mark.usefixtures("taxonomy")
def test_never_the_same_organisation(
    client: FlaskClient, event: dict[str, Any], person: Any
) -> None:
    alice = person("Alice", items=(REQUEST,))
    other = person("Bob", "DE", items=(OFFER,))
    org_id = client.get(
        f"/api/v1/events/{event['id']}/participants/{alice.id}", headers=alice.headers
    ).json["organisation"]["id"]
    response = client.post(
        f"/api/v1/events/{event['id']}/participants",
        json={
            "first_name": "Col",
            "last_name": "League",
            "email": "col@example.org",
            "consent": True,
            "organisation_id": org_id,
        },
    )
    colleague = Caller(response.json["id"], response.json["access_token"])
    client.post(
        f"/api/v1/events/{event['id']}/opportunities",
        json={"kind": OFFER[0], "title": OFFER[1], "tags": OFFER[2]},
        headers=colleague.headers,
    )
    assert _ids(_recommend(client, event, alice, alice)) == [other.id]


@pytest.mark.usefixtures("taxonomy")
def test_cross_border_only(
    client: FlaskClient, event: dict[str, Any], person: Any, organiser: Caller
) -> None:
    alice = person("Alice", "ES", items=(REQUEST,))
    neighbour = person("Bob", "ES", items=(OFFER,))
    abroad = person("Dora", "DE", items=(OFFER,))
    assert set(_ids(_recommend(client, event, alice, alice))) == {neighbour.id, abroad.id}
    _rules(client, event, organiser, cross_border_only=True)
    assert _ids(_recommend(client, event, alice, alice)) == [abroad.id]


@pytest.mark.usefixtures("taxonomy")
def test_allowed_type_pairs(
    client: FlaskClient, event: dict[str, Any], person: Any, organiser: Caller
) -> None:
    alice = person("Alice", org_type="sme", items=(REQUEST,))
    person("Bob", "DE", org_type="sme", items=(OFFER,))
    researcher = person("Dora", "DE", org_type="research", items=(OFFER,))
    _rules(client, event, organiser, allowed_type_pairs=[["sme", "research"]])
    assert _ids(_recommend(client, event, alice, alice)) == [researcher.id]


@pytest.mark.usefixtures("taxonomy")
def test_allowed_group_pairs(
    client: FlaskClient, event: dict[str, Any], person: Any, organiser: Caller
) -> None:
    buyer = person("Alice", items=(REQUEST,), group="buyer")
    person("Bob", "DE", items=(OFFER,), group="buyer")
    supplier = person("Dora", "DE", items=(OFFER,), group="supplier")
    _rules(client, event, organiser, allowed_group_pairs=[["buyer", "supplier"]])
    assert _ids(_recommend(client, event, buyer, buyer)) == [supplier.id]


@pytest.mark.usefixtures("taxonomy")
@pytest.mark.parametrize(
    ("answer", "excluded"), [("accept", True), ("decline", True), (None, False)]
)
def test_pairs_already_met_or_declined_are_excluded(
    client: FlaskClient, event: dict[str, Any], person: Any, answer: str | None, excluded: bool
) -> None:
    alice = person("Alice", items=(REQUEST,))
    bob = person("Bob", "DE", items=(OFFER,))
    request = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests",
        json={"invitee_id": bob.id},
        headers=alice.headers,
    ).json
    if answer:
        client.post(
            f"/api/v1/events/{event['id']}/meeting-requests/{request['id']}/{answer}",
            headers=bob.headers,
        )
    assert (bob.id not in _ids(_recommend(client, event, alice, alice))) is excluded


@pytest.mark.usefixtures("taxonomy")
def test_hidden_participants_are_not_recommended(
    client: FlaskClient, event: dict[str, Any], person: Any
) -> None:
    alice = person("Alice", items=(REQUEST,))
    hidden = person("Bob", "DE", items=(OFFER,), is_public=False)
    assert _ids(_recommend(client, event, alice, alice)) == []
    # A hidden participant still gets recommendations for themself.
    assert _ids(_recommend(client, event, hidden, hidden)) == [alice.id]


def _answer_request(
    client: FlaskClient, event: dict[str, Any], requester: Caller, invitee: Caller, answer: str
) -> None:
    request = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests",
        json={"invitee_id": invitee.id},
        headers=requester.headers,
    )
    assert request.status_code == 201, request.json
    response = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests/{request.json['id']}/{answer}",
        headers=invitee.headers,
    )
    assert response.status_code == 200, response.json


def _by_candidate(response: Any) -> dict[int, Any]:
    assert response.status_code == 200, response.json
    return {r["candidate"]["id"]: r for r in response.json}


@pytest.mark.usefixtures("taxonomy")
def test_the_events_accepted_and_declined_requests_steer_the_ranking(
    client: FlaskClient, event: dict[str, Any], person: Any
) -> None:
    alice = person("Alice", items=(("request", "Battery recycling partner for used cells", []),))
    bob = person("Bob", "DE", items=(("offer", "Battery recycling pilot line for used cells", []),))
    carol = person("Carol", "FR", items=(("offer", "Hydrogen electrolyser maintenance", []),))
    eve = person(
        "Eve", "IT", items=(("request", "Recycling of used battery cells from e-bikes", []),)
    )
    frank = person("Frank", "PL", items=(("offer", "Pilot line recycling used battery cells", []),))
    gina = person(
        "Gina", "PT", items=(("offer", "Electrolyser maintenance for hydrogen plants", []),)
    )
    before = _by_candidate(_recommend(client, event, eve, eve))
    assert {frank.id, gina.id} <= before.keys()
    assert all(r["breakdown"]["feedback"] == 0 for r in before.values())
    assert all(
        reason["kind"] != "like_accepted" for r in before.values() for reason in r["reasons"]
    )

    # Alice, whose need is much like Eve's, accepts the battery recycler and declines the
    # hydrogen engineer.
    _answer_request(client, event, alice, bob, "accept")
    _answer_request(client, event, alice, carol, "decline")
    after = _by_candidate(_recommend(client, event, eve, eve))

    like_accepted = after[frank.id]
    assert like_accepted["breakdown"]["feedback"] > 0
    assert like_accepted["score"] > before[frank.id]["score"]
    reason = next(r for r in like_accepted["reasons"] if r["kind"] == "like_accepted")
    assert reason["strength"] > 0
    assert "accepted" in reason["text"]
    like_declined = after[gina.id]
    assert like_declined["breakdown"]["feedback"] < 0
    assert like_declined["score"] < before[gina.id]["score"]
    assert all(r["kind"] != "like_accepted" for r in like_declined["reasons"])
    ranked = list(after)
    assert ranked.index(frank.id) < ranked.index(gina.id)
