"""An agenda in the frab / c3voc schedule JSON and XML read by conference apps.

The formats are described by ``docs/formats/frab-schedule.schema.json`` and
``docs/formats/frab-schedule.xml.xsd`` (from the voc/schedule repository). Times are
local to the event with their UTC offset; every session, room and speaker has a stable
UUID derived from the event's slug, so an app that reloads the schedule recognises what
it already knows. The XML is rendered from the JSON document, so the two never differ.
Tracks are the sessions' themes, named by the event's tag label when the theme is a tag
slug, each with a colour from a palette that stays readable for colour-blind people.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime, time, timedelta
from importlib import metadata
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from api.extensions import db
from api.models import Event, Room, ScheduleVersion, Session, SessionPlacement, Tag

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
DAY_START = time(9, 0)
DAY_END = time(18, 0)
# Session kinds in the vocabulary conference apps know.
FRAB_TYPES = {
    "plenary": "talk",
    "keynote": "talk",
    "panel": "discussion",
    "workshop": "workshop",
    "parallel": "talk",
    "pitching": "talk",
    "site_visit": "other",
    "matchmaking_block": "meeting",
}
# Okabe and Ito's colour-blind safe palette, then Tableau's; tracks take them in order.
TRACK_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#B07AA1",
    "#9C755F",
)
_TIME_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def slugify(text: str, limit: int = 80) -> str:
    """Lower-case words joined by hyphens, ending in a letter or digit."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit]
    return slug.rstrip("-_") or "x"


def acronym(event_slug: str) -> str:
    """The event slug in the acronym's alphabet: ``[a-z0-9_]``, at least four characters."""
    value = re.sub(r"[^a-z0-9_]", "_", event_slug.lower())
    return value if len(value) >= 4 else f"{value}_event"


def stable_uuid(event_slug: str, kind: str, key: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{event_slug}.clustermeet/{kind}/{key}"))


def _hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _generator() -> dict[str, str]:
    try:
        version = metadata.version("clustermeet")
    except metadata.PackageNotFoundError:
        version = "0"
    return {"name": "clustermeet", "version": version}


def frab_schedule(event: Event, version: ScheduleVersion, base_url: str) -> dict[str, Any]:
    """The agenda version of the event as a frab schedule document.

    ``base_url`` is the server's root URL (ending in ``/``); session URLs point at the API.
    """
    zone = ZoneInfo(event.timezone)
    rooms = list(
        db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.id))
    )
    rows = list(
        db.session.execute(
            select(SessionPlacement, Session)
            .join(Session, Session.id == SessionPlacement.session_id)
            .where(SessionPlacement.version_id == version.id)
            .order_by(SessionPlacement.start_dt, SessionPlacement.room_id)
        )
    )
    room_names = {room.id: room.name for room in rooms}
    themes = sorted({session.theme for _, session in rows if session.theme})
    labels = _track_labels(event, themes)
    event_url = f"{base_url}api/v1/events/{event.id}"
    by_day: dict[Any, list[tuple[SessionPlacement, Session]]] = defaultdict(list)
    for placement, session in rows:
        by_day[placement.start_dt.astimezone(zone).date()].append((placement, session))
    n_days = (event.end_date - event.start_date).days + 1
    days = []
    for index in range(n_days):
        day = event.start_date + timedelta(days=index)
        entries = by_day.get(day, [])
        day_start = datetime.combine(day, DAY_START, tzinfo=zone)
        day_end = datetime.combine(day, DAY_END, tzinfo=zone)
        day_start = min([day_start, *(p.start_dt.astimezone(zone) for p, _ in entries)])
        day_end = max([day_end, *(p.end_dt.astimezone(zone) for p, _ in entries)])
        per_room: dict[str, list[dict[str, Any]]] = {room.name: [] for room in rooms}
        for placement, session in entries:
            name = room_names[placement.room_id]
            per_room[name].append(
                _frab_event(event, placement, session, name, zone, event_url, labels)
            )
        days.append(
            {
                "index": index + 1,
                "date": day.isoformat(),
                "day_start": day_start.isoformat(),
                "day_end": day_end.isoformat(),
                "rooms": per_room,
            }
        )
    conference: dict[str, Any] = {
        "acronym": acronym(event.slug),
        "title": event.name,
        "description": event.description,
        "start": event.start_date.isoformat(),
        "end": event.end_date.isoformat(),
        "daysCount": n_days,
        "timeslot_duration": "00:15",
        "url": f"{event_url}/agenda",
        "tracks": [
            {
                "name": labels[theme],
                "slug": slugify(theme),
                "color": TRACK_COLOURS[index % len(TRACK_COLOURS)],
            }
            for index, theme in enumerate(themes)
        ],
        "rooms": [
            {
                "name": room.name,
                "slug": slugify(room.name),
                "guid": stable_uuid(event.slug, "rooms", room.id),
                "capacity": room.capacity,
                "features": {feature: True for feature in room.features or ()},
            }
            for room in rooms
        ],
        "days": days,
    }
    if _TIME_ZONE_NAME.search(event.timezone):
        conference["time_zone_name"] = event.timezone
    return {
        "$schema": SCHEMA_URL,
        "generator": _generator(),
        "schedule": {
            "version": str(version.number),
            "base_url": base_url,
            "conference": conference,
        },
    }


def _track_labels(event: Event, themes: list[str]) -> dict[str, str]:
    """A theme that is one of the event's tag slugs is shown by the tag's label."""
    tags = {
        tag.slug: tag.label
        for tag in db.session.scalars(
            select(Tag).where(Tag.event_id == event.id, Tag.slug.in_(themes))
        )
    }
    return {theme: tags.get(theme, theme) for theme in themes}


def _frab_event(
    event: Event,
    placement: SessionPlacement,
    session: Session,
    room: str,
    zone: ZoneInfo,
    event_url: str,
    labels: dict[str, str],
) -> dict[str, Any]:
    start = placement.start_dt.astimezone(zone)
    end = placement.end_dt.astimezone(zone)
    return {
        "guid": stable_uuid(event.slug, "sessions", session.id),
        "id": session.id,
        "date": start.isoformat(),
        "start": f"{start:%H:%M}",
        "end": end.isoformat(),
        "duration": _hhmm(end - start),
        "room": room,
        "slug": slugify(f"{acronym(event.slug)}-{session.id}-{session.title}"),
        "url": f"{event_url}/sessions/{session.id}",
        "title": session.title,
        "subtitle": None,
        "track": labels.get(session.theme) if session.theme else None,
        "type": FRAB_TYPES.get(session.kind, "other"),
        "language": "en",
        "abstract": session.description.split("\n\n")[0] if session.description else None,
        "description": session.description or None,
        "persons": [
            {
                "name": speaker.name,
                "public_name": speaker.name,
                "guid": stable_uuid(
                    event.slug,
                    "people",
                    speaker.participant_id
                    if speaker.participant_id is not None
                    else f"s{speaker.id}",
                ),
                "biography": None,
            }
            for speaker in session.speakers
        ],
        "links": [],
        "attachments": [],
    }


def _text(parent: ET.Element, tag: str, value: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def frab_schedule_xml(document: dict[str, Any]) -> bytes:
    """The frab JSON ``document`` as the schedule XML (the elements the XSD allows)."""
    schedule = document["schedule"]
    conference = schedule["conference"]
    root = ET.Element("schedule")
    _text(root, "version", schedule["version"])
    head = ET.SubElement(root, "conference")
    for tag, key in (
        ("title", "title"),
        ("acronym", "acronym"),
        ("start", "start"),
        ("end", "end"),
        ("days", "daysCount"),
        ("timeslot_duration", "timeslot_duration"),
    ):
        _text(head, tag, conference[key])
    for day in conference["days"]:
        day_element = ET.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room_name, events in day["rooms"].items():
            room = ET.SubElement(day_element, "room", name=room_name)
            for item in events:
                _event_xml(room, item)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def _event_xml(room: ET.Element, item: dict[str, Any]) -> None:
    element = ET.SubElement(room, "event", id=str(item["id"]), guid=item["guid"])
    for tag in ("date", "start", "duration", "room", "slug", "title", "subtitle", "track"):
        _text(element, tag, item[tag])
    _text(element, "type", item["type"])
    _text(element, "language", item["language"])
    _text(element, "abstract", item["abstract"])
    _text(element, "description", item["description"])
    persons = ET.SubElement(element, "persons")
    for person in item["persons"]:
        _text(persons, "person", person["public_name"])
    links = ET.SubElement(element, "links")
    _text(links, "link", item["title"]).set("href", item["url"])
