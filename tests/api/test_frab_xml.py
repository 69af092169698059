"""The agenda as the frab / c3voc schedule XML, validated against the format's XSD."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from flask.testing import FlaskClient
from sqlalchemy import select

from api.demo.build import DemoEvent
from api.extensions import db
from api.models import Session, Tag
from api.outputs.frab import FRAB_TYPES
from tests.api.conftest import ANONYMOUS_HEADERS
from tests.api.published_event import demo_event
from tests.api.test_agenda_job import publish, run_agenda_job

# A copy of shared/formats/frab-schedule.xml.xsd (voc/schedule's validator, EUPL-1.2).
XSD_PATH = Path(__file__).parents[2] / "docs" / "formats" / "frab-schedule.xml.xsd"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD_PATH))


@pytest.fixture
def demo(app: Any) -> DemoEvent:
    return demo_event(60, seed=1)


def _published(client: FlaskClient, demo: DemoEvent) -> int:
    job = run_agenda_job(demo.event.id)
    headers = {"Authorization": f"Bearer {demo.organiser_key}"}
    publish(client, demo.event.id, job.result["version_id"], headers)
    return int(job.result["version_id"])


def test_schedule_xml_validates_and_matches_the_json(
    client: FlaskClient, demo: DemoEvent, schema: xmlschema.XMLSchema
) -> None:
    base = f"/api/v1/events/{demo.event.id}"
    assert client.get(f"{base}/schedule.xml").status_code == 404  # nothing published yet
    _published(client, demo)
    response = client.get(f"{base}/schedule.xml", headers=ANONYMOUS_HEADERS)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    schema.validate(response.data)  # raises with the reason when the XML is not valid

    root = ET.fromstring(response.data)
    document = client.get(f"{base}/agenda.frab.json").json
    from_json = {
        (talk["id"], talk["guid"], talk["date"], talk["room"], talk["duration"])
        for day in document["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for talk in talks
    }
    from_xml = {
        (
            int(e.get("id", "0")),
            e.get("guid"),
            e.findtext("date"),
            e.findtext("room"),
            e.findtext("duration"),
        )
        for e in root.iter("event")
    }
    assert from_xml == from_json
    assert len(from_xml) == db.session.query(Session).count()
    assert root.findtext("conference/title") == demo.event.name
    assert int(root.findtext("conference/days") or 0) == len(root.findall("day"))


def test_tracks_types_and_abstracts(
    client: FlaskClient, demo: DemoEvent, schema: xmlschema.XMLSchema
) -> None:
    base = f"/api/v1/events/{demo.event.id}"
    _published(client, demo)
    root = ET.fromstring(client.get(f"{base}/schedule.xml").data)
    sessions = {s.id: s for s in db.session.scalars(select(Session))}
    labels = {t.slug: t.label for t in db.session.scalars(select(Tag))}
    for element in root.iter("event"):
        session = sessions[int(element.get("id", "0"))]
        assert element.findtext("type") == FRAB_TYPES[session.kind]
        assert element.findtext("track") == labels.get(session.theme, session.theme)
        if session.description:
            abstract = element.findtext("abstract") or ""
            assert abstract and session.description.startswith(abstract)
        assert [p.text for p in element.iter("person")] == [s.name for s in session.speakers]
    tracks = client.get(f"{base}/agenda.frab.json").json["schedule"]["conference"]["tracks"]
    assert any(t["name"] != t["slug"] for t in tracks)  # tag labels, not slugs
    assert {t["name"] for t in tracks} == {
        labels.get(s.theme, s.theme) for s in sessions.values() if s.theme
    }
    colours = [t["color"] for t in tracks]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)
    assert len(set(colours)) == min(len(colours), 12)


def test_draft_xml_is_for_the_organiser(client: FlaskClient, demo: DemoEvent) -> None:
    job = run_agenda_job(demo.event.id)
    draft = f"/api/v1/events/{demo.event.id}/schedule.xml?version_id={job.result['version_id']}"
    headers = {"Authorization": f"Bearer {demo.organiser_key}"}
    assert client.get(draft, headers=headers).status_code == 200
    assert client.get(draft, headers=ANONYMOUS_HEADERS).status_code == 401
