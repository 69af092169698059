"""The agenda in the frab / c3voc schedule JSON, validated against the format's schema."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft6Validator, FormatChecker
from sqlalchemy import select

from api.demo.build import DemoEvent
from api.extensions import db
from api.models import Room, Session, SessionPlacement
from tests.api.conftest import ANONYMOUS_HEADERS, Caller
from tests.api.published_event import demo_event
from tests.api.test_agenda_job import publish, run_agenda_job

# A copy of shared/formats/frab-schedule.schema.json (voc/schedule, EUPL-1.2).
SCHEMA_PATH = Path(__file__).parents[2] / "docs" / "formats" / "frab-schedule.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft6Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema, format_checker=FormatChecker())


@pytest.fixture
def demo(app: Any) -> DemoEvent:
    return demo_event(60, seed=1)


def headers(demo: DemoEvent) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo.organiser_key}"}


def url(demo: DemoEvent) -> str:
    return f"/api/v1/events/{demo.event.id}/agenda.frab.json"


def test_published_agenda_validates_and_matches_the_placements(
    client: FlaskClient, demo: DemoEvent, validator: Draft6Validator
) -> None:
    assert client.get(url(demo)).status_code == 404  # nothing published yet
    job = run_agenda_job(demo.event.id)
    version_id = job.result["version_id"]
    publish(client, demo.event.id, version_id, headers(demo))

    response = client.get(url(demo), headers=ANONYMOUS_HEADERS)
    assert response.status_code == 200
    document = response.json
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]

    conference = document["schedule"]["conference"]
    assert conference["title"] == demo.event.name
    assert conference["time_zone_name"] == demo.event.timezone
    assert conference["daysCount"] == len(conference["days"]) == 2
    rooms = list(db.session.scalars(select(Room).where(Room.event_id == demo.event.id)))
    assert {room["name"] for room in conference["rooms"]} == {room.name for room in rooms}

    placements = {
        p.session_id: p
        for p in db.session.scalars(
            select(SessionPlacement).where(SessionPlacement.version_id == version_id)
        )
    }
    seen: dict[int, dict[str, Any]] = {}
    for day in conference["days"]:
        for room_name, talks in day["rooms"].items():
            for talk in talks:
                assert talk["id"] not in seen
                seen[talk["id"]] = {**talk, "room_name": room_name, "day": day["date"]}
    assert set(seen) == set(placements)
    for session_id, talk in seen.items():
        placement = placements[session_id]
        room = db.session.get(Room, placement.room_id)
        session = db.session.get(Session, session_id)
        assert room is not None and session is not None
        assert talk["room"] == talk["room_name"] == room.name
        assert datetime.fromisoformat(talk["date"]) == placement.start_dt
        assert datetime.fromisoformat(talk["end"]) == placement.end_dt
        assert talk["date"].startswith(talk["day"])
        hours, minutes = (int(x) for x in talk["duration"].split(":"))
        assert hours * 60 + minutes == session.length_min
        assert talk["title"] == session.title
        assert len(talk["persons"]) == len(session.speakers)


def test_guids_are_stable_across_exports_and_versions(client: FlaskClient, demo: DemoEvent) -> None:
    first = run_agenda_job(demo.event.id)
    publish(client, demo.event.id, first.result["version_id"], headers(demo))
    before = client.get(url(demo)).json
    second = run_agenda_job(demo.event.id)
    publish(client, demo.event.id, second.result["version_id"], headers(demo))
    after = client.get(url(demo)).json

    def guids(document: dict[str, Any]) -> dict[int, str]:
        return {
            talk["id"]: talk["guid"]
            for day in document["schedule"]["conference"]["days"]
            for talks in day["rooms"].values()
            for talk in talks
        }

    assert guids(before) == guids(after)
    assert before["schedule"]["version"] != after["schedule"]["version"]


def test_drafts_are_for_the_organiser(
    client: FlaskClient, demo: DemoEvent, validator: Draft6Validator, organiser_factory: Any
) -> None:
    job = run_agenda_job(demo.event.id)
    draft = f"{url(demo)}?version_id={job.result['version_id']}"
    response = client.get(draft, headers=headers(demo))
    assert response.status_code == 200
    assert not list(validator.iter_errors(response.json))
    assert client.get(draft, headers=ANONYMOUS_HEADERS).status_code == 401
    other: Caller = organiser_factory("Someone else")
    assert client.get(draft, headers=other.headers).status_code == 403
    assert client.get(f"{url(demo)}?version_id=999999", headers=headers(demo)).status_code == 404
