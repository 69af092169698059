"""Feed secrets read calendar feeds and printable pages, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.extensions import db
from api.models import Event, Participant
from tests.api.published_event import PublishedEvent, published_event


@pytest.fixture
def demo(app: Flask) -> PublishedEvent:
    return published_event(participants=12, meetings_each=2, reuse=True)


def _org(demo: PublishedEvent) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo.organiser_key}"}


def _feed(client: FlaskClient, demo: PublishedEvent, pid: int) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/events/{demo.event_id}/participants/{pid}/feed", headers=_org(demo)
    )
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[no-any-return]


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_feed_secret_reads_the_calendar_and_the_printable_agenda(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    pid = demo.participant_ids[0]
    urls = _feed(client, demo, pid)["urls"]

    calendar = client.get(_path(urls["calendar"]))
    page = client.get(_path(urls["schedule"]))

    assert calendar.status_code == 200
    assert calendar.data.startswith(b"BEGIN:VCALENDAR")
    assert page.status_code == 200
    for response in (calendar, page):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_feed_secret_is_no_credential_for_the_api(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    pid = demo.participant_ids[0]
    secret = _path(_feed(client, demo, pid)["urls"]["calendar"]).split("/")[2]
    as_bearer = {"Authorization": f"Bearer {secret}"}

    profile = client.get(f"/api/v1/events/{demo.event_id}/participants/{pid}", headers=as_bearer)
    edit = client.patch(
        f"/api/v1/events/{demo.event_id}/participants/{pid}",
        json={"role": "changed"},
        headers=as_bearer,
    )
    assert (profile.status_code, edit.status_code) == (401, 401)


def test_a_feed_secret_opens_only_its_own_participant(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    first, second = demo.participant_ids[:2]
    secret = _path(_feed(client, demo, first)["urls"]["calendar"]).split("/")[2]

    other = client.get(f"/feeds/{secret}/participants/{second}/schedule")
    grid = client.get(f"/feeds/{secret}/grid")

    assert (other.status_code, grid.status_code) == (404, 404)


def test_a_rotated_feed_link_stops_working(client: FlaskClient, demo: PublishedEvent) -> None:
    pid = demo.participant_ids[0]
    old = _feed(client, demo, pid)["urls"]["calendar"]

    rotated = client.post(
        f"/api/v1/events/{demo.event_id}/participants/{pid}/feed/rotate", headers=_org(demo)
    )

    assert rotated.status_code == 201
    assert client.get(_path(old)).status_code == 404
    assert client.get(_path(rotated.json["urls"]["calendar"])).status_code == 200


def test_tokens_in_urls_are_no_longer_accepted(client: FlaskClient, demo: PublishedEvent) -> None:
    pid = demo.participant_ids[0]
    key = demo.organiser_key

    feed = client.get(f"/api/v1/events/{demo.event_id}/participants/{pid}/agenda.ics?token={key}")
    page = client.get(f"/events/{demo.event_id}/grid?token={key}")

    assert feed.status_code in (401, 422)
    assert page.status_code == 401


def test_page_links_open_the_organisers_printable_pages_until_revoked(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    made = client.post(f"/api/v1/events/{demo.event_id}/page-links", headers=_org(demo))
    assert made.status_code == 201, made.json
    grid = _path(made.json["urls"]["grid"])
    person = _path(made.json["urls"]["participant_schedule"]).replace(
        "{participant_id}", str(demo.participant_ids[0])
    )

    assert client.get(grid).status_code == 200
    assert client.get(person).status_code == 200
    revoked = client.delete(
        f"/api/v1/events/{demo.event_id}/page-links/{made.json['id']}", headers=_org(demo)
    )
    assert revoked.status_code == 204
    assert client.get(grid).status_code == 404


def test_a_participant_reads_their_own_feed_link_but_not_anothers(
    client: FlaskClient, demo: PublishedEvent
) -> None:
    first, second = demo.participant_ids[:2]
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    from api.accounts.participant_sessions import open_session

    participant = db.session.get(Participant, first)
    assert participant is not None
    _, token = open_session(participant, "registration")
    db.session.commit()
    mine = {"Authorization": f"Bearer {token}"}

    own = client.get(f"/api/v1/events/{demo.event_id}/participants/{first}/feed", headers=mine)
    other = client.get(f"/api/v1/events/{demo.event_id}/participants/{second}/feed", headers=mine)

    assert own.status_code == 200
    assert other.status_code in (403, 404)
