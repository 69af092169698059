"""The meeting-scheduling instance: what the scheduler is asked to solve.

An instance is validated when it is built, so the model, the baseline and the validator can
trust every id and slot number in it. Slots are numbered ``0..n_slots-1`` straight through the
event; slots ``0..n_morning_slots-1`` are the morning block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from scheduler.meetings.errors import InvalidInstanceError
from scheduler.meetings.objective import min_runs


class DayPart(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EITHER = "either"


@dataclass(frozen=True)
class Participant:
    id: str
    name: str = ""
    # Unavailability, sessions the person attends and time-zone windows, already in slots.
    forbidden_slots: frozenset[int] = frozenset()
    max_meetings: int | None = None


@dataclass(frozen=True)
class Meeting:
    id: str
    participant_a: str
    participant_b: str
    # Morning-only, afternoon-only or either (the JAIR "session"; JSON field "session").
    day_part: DayPart = DayPart.EITHER
    priority: int = 1
    fixed_slot: int | None = None
    is_online: bool = False

    @property
    def participants(self) -> tuple[str, str]:
        return (self.participant_a, self.participant_b)


@dataclass(frozen=True)
class Table:
    id: str
    name: str = ""
    # An exhibitor's booth: every meeting of that participant happens here, nobody else's.
    reserved_for: str | None = None


@dataclass(frozen=True)
class Placement:
    slot: int
    table: str | None = None


def numbered_tables(count: int) -> tuple[Table, ...]:
    """``count`` interchangeable tables named T1..Tn (what the JAIR benchmark assumes)."""
    return tuple(Table(id=f"T{i}") for i in range(1, count + 1))


@dataclass(frozen=True)
class MeetingInstance:
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    n_slots: int
    n_morning_slots: int
    tables: tuple[Table, ...]
    # (earlier meeting id, later meeting id): the first must end strictly before the second.
    precedences: tuple[tuple[str, str], ...] = ()
    fairness: int | None = 2
    # Real events: breaks forced by a participant's own availability (sessions they attend, a
    # late arrival) do not count against the fairness bound, so nobody loses meetings to it
    # for attending sessions. The JAIR benchmark counts every break (False).
    fairness_excludes_forced: bool = False
    previous: Mapping[str, Placement] = field(default_factory=lambda: MappingProxyType({}))
    pinned: frozenset[str] = frozenset()
    name: str = ""
    slot_labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._check_slots()
        self._check_participants()
        self._check_tables()
        self._check_meetings()
        self._check_precedences()
        self._check_resolve()

    # ----------------------------------------------------------------- validation
    def _check_slots(self) -> None:
        if self.n_slots < 1:
            raise InvalidInstanceError("n_slots", f"must be at least 1, got {self.n_slots}")
        if not 0 <= self.n_morning_slots <= self.n_slots:
            raise InvalidInstanceError(
                "n_morning_slots", f"must be within 0..{self.n_slots}, got {self.n_morning_slots}"
            )
        if self.slot_labels and len(self.slot_labels) != self.n_slots:
            raise InvalidInstanceError("slot_labels", "needs exactly one label per slot")
        if self.fairness is not None and self.fairness < 0:
            raise InvalidInstanceError("fairness", f"must be >= 0 or None, got {self.fairness}")

    def _check_participants(self) -> None:
        seen: set[str] = set()
        for p in self.participants:
            if not p.id:
                raise InvalidInstanceError("participants.id", "must be a non-empty string")
            if p.id in seen:
                raise InvalidInstanceError("participants.id", f"duplicate participant {p.id!r}")
            seen.add(p.id)
            bad = sorted(s for s in p.forbidden_slots if not 0 <= s < self.n_slots)
            if bad:
                raise InvalidInstanceError(
                    f"participants[{p.id}].forbidden_slots", f"slots out of range: {bad}"
                )
            if p.max_meetings is not None and p.max_meetings < 0:
                raise InvalidInstanceError(f"participants[{p.id}].max_meetings", "must be >= 0")

    def _check_tables(self) -> None:
        seen: set[str] = set()
        owners: set[str] = set()
        for t in self.tables:
            if t.id in seen:
                raise InvalidInstanceError("tables.id", f"duplicate table {t.id!r}")
            seen.add(t.id)
            if t.reserved_for is not None:
                if t.reserved_for not in self.participant_index:
                    raise InvalidInstanceError(
                        f"tables[{t.id}].reserved_for", f"unknown participant {t.reserved_for!r}"
                    )
                if t.reserved_for in owners:
                    raise InvalidInstanceError(
                        f"tables[{t.id}].reserved_for",
                        f"participant {t.reserved_for!r} already has a booth",
                    )
                owners.add(t.reserved_for)

    def _check_meetings(self) -> None:
        seen: set[str] = set()
        for m in self.meetings:
            where = f"meetings[{m.id}]"
            if m.id in seen:
                raise InvalidInstanceError("meetings.id", f"duplicate meeting {m.id!r}")
            seen.add(m.id)
            for side in m.participants:
                if side not in self.participant_index:
                    raise InvalidInstanceError(f"{where}.participants", f"unknown {side!r}")
            if m.participant_a == m.participant_b:
                raise InvalidInstanceError(f"{where}.participants", "cannot meet oneself")
            if m.priority < 1:
                raise InvalidInstanceError(f"{where}.priority", "must be >= 1")
            if m.fixed_slot is not None and not 0 <= m.fixed_slot < self.n_slots:
                raise InvalidInstanceError(f"{where}.fixed_slot", f"out of range: {m.fixed_slot}")

    def _check_precedences(self) -> None:
        for earlier, later in self.precedences:
            for mid in (earlier, later):
                if mid not in self.meeting_index:
                    raise InvalidInstanceError("precedences", f"unknown meeting {mid!r}")
            if earlier == later:
                raise InvalidInstanceError("precedences", f"meeting {earlier!r} precedes itself")

    def _check_resolve(self) -> None:
        table_ids = {t.id for t in self.tables}
        for mid, placement in self.previous.items():
            if mid not in self.meeting_index:
                # A meeting cancelled since publication: it shows up as dropped in the diff.
                continue
            if not 0 <= placement.slot < self.n_slots:
                raise InvalidInstanceError(f"previous[{mid}].slot", f"bad slot {placement.slot}")
            if placement.table is not None and placement.table not in table_ids:
                raise InvalidInstanceError(f"previous[{mid}].table", f"unknown {placement.table!r}")
        for mid in self.pinned:
            if mid not in self.meeting_index:
                raise InvalidInstanceError("pinned", f"unknown meeting {mid!r}")
            if mid not in self.previous:
                raise InvalidInstanceError("pinned", f"meeting {mid!r} has no previous placement")

    # ------------------------------------------------------------ derived indexes
    @cached_property
    def participant_index(self) -> Mapping[str, int]:
        return {p.id: i for i, p in enumerate(self.participants)}

    @cached_property
    def meeting_index(self) -> Mapping[str, int]:
        return {m.id: i for i, m in enumerate(self.meetings)}

    @cached_property
    def meetings_of(self) -> Mapping[str, tuple[int, ...]]:
        """Meeting indexes per participant id."""
        acc: dict[str, list[int]] = {p.id: [] for p in self.participants}
        for i, m in enumerate(self.meetings):
            acc[m.participant_a].append(i)
            acc[m.participant_b].append(i)
        return {pid: tuple(v) for pid, v in acc.items()}

    @cached_property
    def booth_of(self) -> Mapping[str, str]:
        """Participant id -> id of the table reserved to them."""
        return {t.reserved_for: t.id for t in self.tables if t.reserved_for is not None}

    @cached_property
    def shared_tables(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tables if t.reserved_for is None)

    def day_part_slots(self, part: DayPart) -> range:
        if part is DayPart.MORNING:
            return range(0, self.n_morning_slots)
        if part is DayPart.AFTERNOON:
            return range(self.n_morning_slots, self.n_slots)
        return range(0, self.n_slots)

    def booth_for_meeting(self, meeting: Meeting) -> str | None:
        """The booth an in-person meeting must use, if one side is an exhibitor."""
        if meeting.is_online:
            return None
        return self.booth_of.get(meeting.participant_a) or self.booth_of.get(meeting.participant_b)

    def uses_shared_table(self, meeting: Meeting) -> bool:
        return not meeting.is_online and self.booth_for_meeting(meeting) is None

    @cached_property
    def mirror_symmetric(self) -> bool:
        """Whether the day played backwards (slot ``s`` as ``n_slots - 1 - s``) turns every
        schedule into one that is allowed and scores the same: every meeting's allowed
        slots are symmetric, and nothing depends on the order (no previous schedule to stay
        close to, no precedences). The JAIR tic instances are; day parts, forbidden slots
        and fixed meetings mostly make an event not."""
        if self.previous or self.precedences:
            return False
        last = self.n_slots - 1
        return all(set(slots) == {last - s for s in slots} for slots in self.allowed_slots)

    @cached_property
    def forbidden_of(self) -> Mapping[str, frozenset[int]]:
        return {p.id: p.forbidden_slots for p in self.participants}

    @cached_property
    def allowed_slots(self) -> tuple[tuple[int, ...], ...]:
        """Per meeting index: slots its day part, both sides' forbidden slots and a fix allow."""
        out: list[tuple[int, ...]] = []
        for m in self.meetings:
            blocked = self.forbidden_of[m.participant_a] | self.forbidden_of[m.participant_b]
            slots = [s for s in self.day_part_slots(m.day_part) if s not in blocked]
            if m.fixed_slot is not None:
                slots = [s for s in slots if s == m.fixed_slot]
            if m.id in self.pinned:
                prev = self.previous[m.id].slot
                slots = [s for s in slots if s == prev]
            out.append(tuple(slots))
        return tuple(out)

    @cached_property
    def pairs(self) -> int:
        """How many (meeting, slot) pairs the meetings allow: the measure of a model's size."""
        return sum(len(slots) for slots in self.allowed_slots)

    @cached_property
    def forced_breaks(self) -> Mapping[str, int]:
        """Breaks no schedule can avoid: a participant whose usable slots come in separate
        windows, or whose fixed or pinned meetings lie apart, needs at least (fewest runs of
        usable slots that hold its meetings, up to its cap, and cover those meetings' slots)
        - 1 (``objective.min_runs``)."""
        out: dict[str, int] = {}
        imposed = self.pinned_slot
        for p in self.participants:
            mine = self.meetings_of[p.id]
            needed = len(mine) if p.max_meetings is None else min(len(mine), p.max_meetings)
            free = sorted({s for m in mine for s in self.allowed_slots[m]})
            fixed = {imposed[self.meetings[m].id] for m in mine if self.meetings[m].id in imposed}
            out[p.id] = max(0, min_runs(free, needed, fixed) - 1)
        return out

    def break_limit(self, pid: str) -> int | None:
        """Most breaks the fairness bound leaves ``pid`` when the best-off participant has none
        (someone with a single meeting, as on every real event); None without a bound."""
        if self.fairness is None:
            return None
        if self.fairness_excludes_forced:
            return self.fairness + self.forced_breaks[pid]
        return self.fairness

    @cached_property
    def published_slots(self) -> Mapping[int, int]:
        """Re-solve: meeting index -> its previous slot, for meetings that can still take it."""
        return {
            self.meeting_index[mid]: p.slot
            for mid, p in self.previous.items()
            if mid in self.meeting_index and p.slot in self.allowed_slots[self.meeting_index[mid]]
        }

    @cached_property
    def pinned_slot(self) -> Mapping[str, int]:
        """Meetings whose slot is imposed, by a fix or a pin."""
        out = {m.id: m.fixed_slot for m in self.meetings if m.fixed_slot is not None}
        for mid in self.pinned:
            out.setdefault(mid, self.previous[mid].slot)
        return out
