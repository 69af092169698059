"""Input of the agenda scheduler: rooms, a slot grid, sessions and the people in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from scheduler.agenda.instance_checks import check_instance


class SessionKind(StrEnum):
    PLENARY = "plenary"
    KEYNOTE = "keynote"
    PANEL = "panel"
    WORKSHOP = "workshop"
    PARALLEL = "parallel"
    PITCHING = "pitching"
    SITE_VISIT = "site_visit"
    MATCHMAKING_BLOCK = "matchmaking_block"


# A plenary or keynote addresses the whole event, so nothing may run beside it.
EXCLUSIVE_KINDS = frozenset({SessionKind.PLENARY, SessionKind.KEYNOTE})


@dataclass(frozen=True)
class TimeGrid:
    """Equal slots on each day; slot ``d * slots_per_day + k`` is slot ``k`` of day ``d``."""

    days: tuple[str, ...]
    slots_per_day: int
    slot_minutes: int
    day_start: str = "09:00"
    blocked: frozenset[int] = frozenset()

    @property
    def num_slots(self) -> int:
        return len(self.days) * self.slots_per_day

    def day_of(self, slot: int) -> int:
        return slot // self.slots_per_day

    def day_end(self, slot: int) -> int:
        """First slot after the day that contains ``slot``."""
        return (self.day_of(slot) + 1) * self.slots_per_day

    def label(self, slot: int) -> str:
        hours, minutes = (int(part) for part in self.day_start.split(":"))
        offset = hours * 60 + minutes + (slot % self.slots_per_day) * self.slot_minutes
        return f"{self.days[self.day_of(slot)]} {offset // 60:02d}:{offset % 60:02d}"


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int
    features: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pin:
    room: str
    start: int


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    kind: SessionKind
    length: int
    theme: str | None = None
    required_features: frozenset[str] = frozenset()
    speakers: tuple[str, ...] = ()
    moderators: tuple[str, ...] = ()
    panellists: tuple[str, ...] = ()
    audience: int = 0
    pinned: Pin | None = None
    # The programme's fixed start times, when it has them; None lets the session start anywhere.
    start_slots: frozenset[int] | None = None

    @property
    def people(self) -> frozenset[str]:
        return frozenset(self.speakers) | frozenset(self.moderators) | frozenset(self.panellists)

    @property
    def is_exclusive(self) -> bool:
        return self.kind in EXCLUSIVE_KINDS


@dataclass(frozen=True)
class Availability:
    """Slots a person can attend; a person without an entry is always available."""

    person: str
    slots: frozenset[int]


@dataclass(frozen=True)
class CoAttendance:
    """Number of people signed up to both sessions."""

    first: str
    second: str
    count: int


@dataclass(frozen=True)
class Placement:
    session: str
    room: str
    start: int


@dataclass(frozen=True)
class Weights:
    """Integer weights of the soft terms (CP-SAT optimises integers)."""

    attendee_clashes: int = 10
    theme_parallel: int = 5
    theme_room_changes: int = 2
    overflow_total: int = 1
    overflow_max: int = 0
    moves: int = 50


@dataclass(frozen=True)
class AgendaInstance:
    grid: TimeGrid
    rooms: tuple[Room, ...]
    sessions: tuple[Session, ...]
    availability: tuple[Availability, ...] = ()
    co_attendance: tuple[CoAttendance, ...] = ()
    min_pause: int = 0
    weights: Weights = field(default_factory=Weights)
    previous: tuple[Placement, ...] | None = None

    def __post_init__(self) -> None:
        check_instance(self)

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {room.id: room for room in self.rooms}

    @cached_property
    def session_by_id(self) -> dict[str, Session]:
        return {session.id: session for session in self.sessions}

    @cached_property
    def available_slots(self) -> dict[str, frozenset[int]]:
        return {entry.person: entry.slots for entry in self.availability}
