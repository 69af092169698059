"""A realistic event with a published meeting schedule, for the on-the-day features.

The demo event (participants, organisations, tables, sessions) with accepted meetings
between random pairs, solved by the real meetings job and published.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select

from api.demo.build import DemoEvent, build_demo_event
from api.events.slots import event_slots
from api.extensions import db
from api.models import (
    Event,
    Job,
    Meeting,
    MeetingPlacement,
    MeetingSeat,
    MeetingTable,
    Participant,
    ScheduleVersion,
)
from api.schedules.operations import new_version, publish_version
from api.solving.execute import run_job
from benchkit.matching.synthetic import Population
from tests.api.reused import reused


@dataclass(frozen=True)
class PublishedEvent:
    event_id: int
    organiser_key: str
    version_id: int
    participant_ids: list[int]


def solve_with_job(event: Event) -> ScheduleVersion:
    """The real meetings job (needs the meeting scheduler)."""
    job = Job(event_id=event.id, kind="meetings", params={"time_limit": 10.0}, status="queued")
    db.session.add(job)
    db.session.commit()
    assert run_job(job.id) == "succeeded", db.session.get(Job, job.id).error  # type: ignore[union-attr]
    db.session.expire_all()
    version = db.session.get(ScheduleVersion, job.result["version_id"])
    assert version is not None
    return version


def place_greedily(event: Event) -> ScheduleVersion:
    """A valid draft without the solver: each meeting in the first slot free for both."""
    version = new_version(event, "meetings", None)
    slots = event_slots(event)
    tables = list(
        db.session.scalars(
            select(MeetingTable).where(MeetingTable.event_id == event.id).order_by(MeetingTable.id)
        )
    )
    busy: set[tuple[int, int]] = set()
    taken: set[tuple[int, int]] = set()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.id)
    )
    for meeting in meetings:
        people = meeting.pair_ids()
        for slot in slots:
            if any((p, slot.index) in busy for p in people):
                continue
            table = next(
                (
                    t
                    for t in tables
                    if (t.id, slot.index) not in taken
                    and (t.reserved_for_id is None or t.reserved_for_id in people)
                ),
                None,
            )
            if table is None:
                continue
            placement = MeetingPlacement(
                version_id=version.id,
                meeting_id=meeting.id,
                slot=slot.index,
                start_dt=slot.start_dt,
                end_dt=slot.end_dt,
                table_id=table.id,
            )
            placement.seats = [
                MeetingSeat(version_id=version.id, participant_id=p, start_dt=slot.start_dt)
                for p in people
            ]
            db.session.add(placement)
            busy.update((p, slot.index) for p in people)
            taken.add((table.id, slot.index))
            break
    db.session.flush()
    return version


def solve_and_publish(event: Event, use_solver: bool = False) -> int:
    version = solve_with_job(event) if use_solver else place_greedily(event)
    publish_version(event, version)
    db.session.commit()
    return version.id


@dataclass(frozen=True)
class _BuiltDemo:
    event_id: int
    organiser_key: str
    population: Population
    participant_ids: dict[str, int]


def demo_event(participants: int, seed: int) -> DemoEvent:
    """``build_demo_event``, committed, or a copy of the same event built earlier in this
    process when the test's database allows it (tests/api/reused.py)."""

    def build() -> _BuiltDemo:
        built = build_demo_event(participants, seed=seed)
        db.session.commit()
        return _BuiltDemo(
            built.event.id, built.organiser_key, built.population, dict(built.participant_ids)
        )

    built = reused(("demo_event", participants, seed), build)
    event = db.session.get(Event, built.event_id)
    assert event is not None
    return DemoEvent(event, built.organiser_key, built.population, dict(built.participant_ids))


def published_event(
    participants: int = 40, meetings_each: int = 3, seed: int = 1, reuse: bool = False
) -> PublishedEvent:
    """Build the event, register, solve greedily, publish (mails included).

    ``reuse``: a copy of the same event built earlier in this process, when the test's
    database allows it (tests/api/reused.py): for tests that read the event and change it
    afterwards, not for tests that follow the mails of the build itself.
    """
    if reuse:
        return reused(
            ("published_event", participants, meetings_each, seed),
            lambda: _build(participants, meetings_each, seed),
        )
    return _build(participants, meetings_each, seed)


def _build(participants: int, meetings_each: int, seed: int) -> PublishedEvent:
    demo = build_demo_event(participants, seed=seed)
    db.session.commit()
    event = demo.event
    people = list(
        db.session.scalars(
            select(Participant).where(Participant.event_id == event.id).order_by(Participant.id)
        )
    )
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    for person in people:
        others = [
            p for p in people if p.id != person.id and p.organisation_id != person.organisation_id
        ]
        for other in rng.sample(others, min(meetings_each, len(others))):
            pairs.add((min(person.id, other.id), max(person.id, other.id)))
    for a, b in sorted(pairs):
        db.session.add(
            Meeting(event_id=event.id, participant_a_id=a, participant_b_id=b, status="accepted")
        )
    db.session.commit()
    version_id = solve_and_publish(event)
    return PublishedEvent(event.id, demo.organiser_key, version_id, [p.id for p in people])
