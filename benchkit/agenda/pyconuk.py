"""The PyCon UK 2016 talks as an agenda instance, with seeded demand and unavailability.

Grid, venues and talk slot times follow the PyconUK/ConferenceScheduler documentation
("Define a Conference"): talks on Friday 16 to Sunday 18 September 2016, in the four
venues suitable for talks (Room A only takes workshops), at nine start times a day,
all 30 minutes long except the 45-minute slot at 11:15. Real demand and speaker
availability were never published, so a generator with a fixed seed supplies them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchkit.data import pyconuk_talks_file
from scheduler.agenda.errors import AgendaError
from scheduler.agenda.instance import (
    AgendaInstance,
    Availability,
    Room,
    Session,
    SessionKind,
    TimeGrid,
    Weights,
)

DAYS = ("2016-09-16", "2016-09-17", "2016-09-18")
SLOT_MINUTES = 15
DAY_START = "10:15"
SLOTS_PER_DAY = 29  # 10:15 to 17:30
# Start slot in the day and length in minutes of each talk slot of the documentation.
TALK_SLOTS = ((0, 30), (4, 45), (7, 30), (9, 30), (17, 30), (19, 30), (21, 30), (25, 30), (27, 30))
# Coffee 10:45-11:15, lunch 13:00-14:30, tea 16:00-16:30.
BREAKS = (2, 3, 11, 12, 13, 14, 15, 16, 23, 24)
# Name, capacity and what each venue is suitable for, as in the documentation.
VENUES = (
    ("Assembly Room", 500, ("talk", "plenary")),
    ("Room A", 80, ("workshop",)),
    ("Ferrier Hall", 200, ("talk",)),
    ("Room C", 80, ("talk", "workshop")),
    ("Room D", 100, ("talk",)),
)
MORNING = range(0, 11)
AFTERNOON = range(17, SLOTS_PER_DAY)
UNAVAILABLE_SHARE = 0.3


@dataclass(frozen=True)
class Talk:
    id: str
    title: str
    minutes: int
    speaker: str | None
    tags: tuple[str, ...]
    demand: int


@dataclass(frozen=True)
class PyconukData:
    """Talks with generated demand, and the half-days each speaker cannot come."""

    seed: int
    talks: tuple[Talk, ...]
    unavailable: dict[str, tuple[int, ...]]

    def starts_for(self, minutes: int) -> frozenset[int]:
        return frozenset(
            day * SLOTS_PER_DAY + start
            for day in range(len(DAYS))
            for start, length in TALK_SLOTS
            if length >= minutes
        )


def load_talks(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or pyconuk_talks_file()
    if not path.is_file():
        raise AgendaError(
            f"PyCon UK talks not found at {path}; set CLUSTERMEET_SHARED_DIR to the shared "
            "folder that holds benchmarks/pyconuk-2016/talks.yml"
        )
    with path.open(encoding="utf-8") as handle:
        talks: list[dict[str, Any]] = yaml.safe_load(handle)
    return talks


def generate(
    seed: int = 2016, talks_file: Path | None = None, limit: int | None = None
) -> PyconukData:
    """Demand: 30 + 470 * Beta(2, 2.5), rounded, one draw per talk in file order, so a
    typical talk wants about 240 seats and a few fill the Assembly Room. Unavailability:
    each speaker, in order of first talk, is away one uniformly drawn half-day (morning
    or afternoon of one of the three days) with probability 0.3."""
    rng = random.Random(seed)
    raw = load_talks(talks_file)[:limit]
    talks = tuple(
        Talk(
            id=f"t{index + 1:02d}",
            title=str(entry["title"]),
            minutes=int(entry["duration"]),
            speaker=entry.get("speaker") or None,
            tags=tuple(entry.get("tags") or ()),
            demand=round(30 + 470 * rng.betavariate(2.0, 2.5)),
        )
        for index, entry in enumerate(raw)
    )
    unavailable: dict[str, tuple[int, ...]] = {}
    for talk in talks:
        if talk.speaker is None or talk.speaker in unavailable:
            continue
        away: tuple[int, ...] = ()
        if rng.random() < UNAVAILABLE_SHARE:
            day = rng.randrange(len(DAYS))
            half = MORNING if rng.random() < 0.5 else AFTERNOON
            away = tuple(day * SLOTS_PER_DAY + slot for slot in half)
        unavailable[talk.speaker] = away
    return PyconukData(seed, talks, {k: v for k, v in unavailable.items() if v})


def build_instance(data: PyconukData) -> AgendaInstance:
    """Only audience overflow is weighted, the one objective the peer can state too."""
    grid = TimeGrid(
        days=DAYS,
        slots_per_day=SLOTS_PER_DAY,
        slot_minutes=SLOT_MINUTES,
        day_start=DAY_START,
        blocked=frozenset(
            day * SLOTS_PER_DAY + slot for day in range(len(DAYS)) for slot in BREAKS
        ),
    )
    rooms = tuple(
        Room(id=_room_id(name), name=name, capacity=capacity, features=frozenset(suitable))
        for name, capacity, suitable in VENUES
    )
    sessions = tuple(
        Session(
            id=talk.id,
            title=talk.title,
            kind=SessionKind.PARALLEL,
            length=talk.minutes // SLOT_MINUTES,
            theme=talk.tags[0] if talk.tags else None,
            required_features=frozenset({"talk"}),
            speakers=(talk.speaker,) if talk.speaker else (),
            audience=talk.demand,
            start_slots=data.starts_for(talk.minutes),
        )
        for talk in data.talks
    )
    everything = frozenset(range(grid.num_slots))
    availability = tuple(
        Availability(person, everything - frozenset(away))
        for person, away in sorted(data.unavailable.items())
    )
    weights = Weights(
        attendee_clashes=0,
        theme_parallel=0,
        theme_room_changes=0,
        overflow_total=1,
        overflow_max=0,
        moves=0,
    )
    return AgendaInstance(grid, rooms, sessions, availability, weights=weights)


def _room_id(name: str) -> str:
    return name.lower().replace(" ", "-")
