from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.extensions import db
from api.models import Tag
from tests.api.conftest import Caller


def _tag_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Tag)) or 0


def _url(event: dict[str, Any], tag_id: int | None = None) -> str:
    base = f"/api/v1/events/{event['id']}/tags"
    return base if tag_id is None else f"{base}/{tag_id}"


def _tag(client: FlaskClient, event: dict[str, Any], owner: Caller, **fields: Any) -> Any:
    payload = {"slug": "green-transition", "label": "Green transition", "kind": "theme", **fields}
    response = client.post(_url(event), json=payload, headers=owner.headers)
    assert response.status_code == 201, response.json
    return response.json


def test_organiser_adds_tag(client: FlaskClient, organiser: Caller, event: dict[str, Any]) -> None:
    tag = _tag(client, event, organiser, slug="batteries", label="Batteries", kind="technology")
    assert tag["kind"] == "technology"
    assert client.get(_url(event, tag["id"])).json["slug"] == "batteries"


def test_list_is_public_and_filters_by_kind_and_text(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    _tag(client, event, organiser)
    _tag(client, event, organiser, slug="automotive", label="Automotive", kind="sector")
    _tag(client, event, organiser, slug="ai", label="Artificial intelligence", kind="technology")
    assert len(client.get(_url(event)).json) == 3
    assert [t["slug"] for t in client.get(_url(event) + "?kind=sector").json] == ["automotive"]
    assert [t["slug"] for t in client.get(_url(event) + "?q=intellig").json] == ["ai"]


@pytest.mark.postgres
def test_duplicate_slug_in_event_is_a_conflict(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    _tag(client, event, organiser)
    response = client.post(
        _url(event), json={"slug": "green-transition", "label": "x"}, headers=organiser.headers
    )
    assert response.status_code == 409
    assert _tag_count() == 1


def test_same_slug_in_another_event_is_fine(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    first, second = event_factory(), event_factory()
    _tag(client, first, organiser)
    _tag(client, second, organiser)
    assert _tag_count() == 2


def test_bad_input_names_each_field_and_writes_nothing(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    payload = {"slug": "Not A Slug", "label": 3, "kind": "colour", "colour": "red"}
    response = client.post(_url(event), json=payload, headers=organiser.headers)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"slug", "label", "kind", "colour"}
    response = client.post(_url(event), json={}, headers=organiser.headers)
    assert set(response.json["errors"]["json"]) == {"slug", "label"}
    assert _tag_count() == 0


def test_patch_renames_and_checks_the_slug(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    tag = _tag(client, event, organiser)
    _tag(client, event, organiser, slug="skills", label="Skills")
    url = _url(event, tag["id"])
    response = client.patch(url, json={"label": "Green deal"}, headers=organiser.headers)
    assert response.status_code == 200
    assert response.json == {**tag, "label": "Green deal"}
    assert client.patch(url, json={"slug": "skills"}, headers=organiser.headers).status_code == 409
    response = client.patch(url, json={"slug": None}, headers=organiser.headers)
    assert response.status_code == 422
    assert "slug" in response.json["errors"]["json"]
    assert client.get(url).json["slug"] == "green-transition"


def test_owner_deletes_tag(client: FlaskClient, organiser: Caller, event: dict[str, Any]) -> None:
    tag = _tag(client, event, organiser)
    assert client.delete(_url(event, tag["id"]), headers=organiser.headers).status_code == 204
    assert client.get(_url(event, tag["id"])).status_code == 404


def test_other_organiser_and_anonymous_are_refused(
    client: FlaskClient, organiser: Caller, organiser_factory: Any, event: dict[str, Any]
) -> None:
    tag = _tag(client, event, organiser)
    intruder = organiser_factory("Organiser B")
    payload = {"slug": "other", "label": "Other"}
    assert client.post(_url(event), json=payload, headers=intruder.headers).status_code == 403
    assert client.post(_url(event), json={"slug": 3}).status_code == 401
    url = _url(event, tag["id"])
    assert client.patch(url, json={"label": "x"}, headers=intruder.headers).status_code == 403
    assert client.patch(url, json={"label": "x"}).status_code == 401
    assert client.delete(url, headers=intruder.headers).status_code == 403
    assert client.delete(url).status_code == 401
    assert _tag_count() == 1
    assert client.get(url).json["label"] == "Green transition"


def test_participant_cannot_manage_tags(
    client: FlaskClient, participant_factory: Any, event: dict[str, Any]
) -> None:
    participant = participant_factory()
    payload = {"slug": "other", "label": "Other"}
    assert client.post(_url(event), json=payload, headers=participant.headers).status_code == 403
    assert _tag_count() == 0


def test_tag_of_another_event_is_not_found(
    client: FlaskClient, organiser: Caller, event_factory: Any
) -> None:
    mine, other = event_factory(), event_factory()
    tag = _tag(client, other, organiser)
    url = _url(mine, tag["id"])
    assert client.get(url).status_code == 404
    assert client.patch(url, json={"label": "x"}, headers=organiser.headers).status_code == 404
    assert client.delete(url, headers=organiser.headers).status_code == 404
    assert _tag_count() == 1


def test_unknown_event_is_not_found(client: FlaskClient, organiser: Caller) -> None:
    assert client.get("/api/v1/events/999/tags").status_code == 404
    response = client.post(
        "/api/v1/events/999/tags", json={"slug": "a", "label": "A"}, headers=organiser.headers
    )
    assert response.status_code == 404


@pytest.mark.postgres
def test_deleting_a_used_tag_removes_it_from_profiles(
    client: FlaskClient, organiser: Caller, participant_factory: Any, event: dict[str, Any]
) -> None:
    tag = _tag(client, event, organiser)
    _tag(client, event, organiser, slug="skills", label="Skills")
    participant = participant_factory(interests=["green-transition", "skills"])
    assert client.delete(_url(event, tag["id"]), headers=organiser.headers).status_code == 204
    profile = client.get(
        f"/api/v1/events/{event['id']}/participants/{participant.id}", headers=participant.headers
    ).json
    assert profile["interests"] == ["skills"]
