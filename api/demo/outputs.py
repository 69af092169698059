"""Writing the demo's outputs by asking the real endpoints, as a client would."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from api.extensions import db
from api.models import Event, MeetingTable, Participant, Session

# A few personal pages are enough to look at; calendars are written for everyone.
PERSONAL_PAGES = 12


@dataclass
class Written:
    files: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def write_outputs(event: Event, organiser_key: str, out_dir: str) -> Written:
    client = current_app.test_client()
    headers = {"Authorization": f"Bearer {organiser_key}"}
    written = Written()

    def fetch(url: str, path: str) -> None:
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            written.failures.append(f"{url}: {response.status_code}")
            return
        target = os.path.join(out_dir, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(response.get_data())
        written.files.append(path)

    api = f"/api/v1/events/{event.id}"
    pages = f"/events/{event.id}"
    # An event without a programme (matchmaking only) or without meeting blocks (an
    # online talk) has no agenda or no meeting instance to write.
    if db.session.scalar(select(Session.id).where(Session.event_id == event.id).limit(1)):
        fetch(f"{api}/agenda.frab.json", "agenda.frab.json")
        fetch(f"{api}/schedule.xml", "schedule.xml")
        fetch(f"{api}/agenda-instance.json", "instances/agenda-instance.json")
    if event.meeting_blocks:
        fetch(f"{api}/meetings-instance.json", "instances/meetings-instance.json")
    fetch(f"{api}/stats", "stats.json")
    names = (
        "meetings.csv",
        "meetings.xlsx",
        "participants.csv",
        "participants.xlsx",
        "report.xlsx",
    )
    for name in names:
        fetch(f"{api}/exports/{name}", f"exports/{name}")
    fetch(f"{pages}/stats", "html/stats.html")
    fetch(f"{pages}/grid", "html/grid.html")
    people = list(
        db.session.scalars(
            select(Participant).where(Participant.event_id == event.id).order_by(Participant.id)
        )
    )
    for person in people:
        fetch(f"{api}/participants/{person.id}/agenda.ics", f"ical/participant-{person.id}.ics")
    for person in people[:PERSONAL_PAGES]:
        fetch(f"{pages}/participants/{person.id}/schedule", f"html/participant-{person.id}.html")
    tables = db.session.scalars(
        select(MeetingTable).where(MeetingTable.event_id == event.id).order_by(MeetingTable.id)
    ).all()
    for table in tables[:6]:
        fetch(f"{pages}/tables/{table.id}/plan", f"html/table-{table.id}.html")
    return written
