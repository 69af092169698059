"""Everything the CP-SAT model needs, derived from an instance before any modelling."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from scheduler.agenda.instance import AgendaInstance, Session


@dataclass(frozen=True)
class OverlapPair:
    """Two sessions whose simultaneous run costs something: shared sign-ups or theme."""

    first: str
    second: str
    co_attendance: int
    same_theme: bool


@dataclass(frozen=True)
class PreparedAgenda:
    instance: AgendaInstance
    # (room, start) pairs that satisfy every per-session hard rule.
    candidates: dict[str, tuple[tuple[str, int], ...]]
    person_sessions: dict[str, tuple[str, ...]]
    overlap_pairs: tuple[OverlapPair, ...]
    unplaceable: tuple[str, ...]

    def covered(self, session_id: str, start: int) -> range:
        return range(start, start + self.instance.session_by_id[session_id].length)

    def pause_covered(self, session_id: str, start: int) -> range:
        """Slots a session keeps its people busy, the pause included, clipped to its day."""
        end = start + self.instance.session_by_id[session_id].length + self.instance.min_pause
        return range(start, min(end, self.instance.grid.day_end(start)))


def prepare(instance: AgendaInstance) -> PreparedAgenda:
    candidates = {
        session.id: tuple(_candidates(instance, session)) for session in instance.sessions
    }
    person_sessions: dict[str, list[str]] = defaultdict(list)
    for session in instance.sessions:
        for person in sorted(session.people):
            person_sessions[person].append(session.id)
    return PreparedAgenda(
        instance=instance,
        candidates=candidates,
        person_sessions={person: tuple(ids) for person, ids in person_sessions.items()},
        overlap_pairs=_overlap_pairs(instance),
        unplaceable=tuple(sid for sid, options in candidates.items() if not options),
    )


def _candidates(instance: AgendaInstance, session: Session) -> list[tuple[str, int]]:
    grid = instance.grid
    allowed_starts = [
        start for start in range(grid.num_slots) if _start_allowed(instance, session, start)
    ]
    rooms = [room.id for room in instance.rooms if session.required_features <= room.features]
    options = [(room, start) for room in rooms for start in allowed_starts]
    if session.pinned is not None:
        pin = (session.pinned.room, session.pinned.start)
        options = [pin] if pin in options else []
    return options


def _start_allowed(instance: AgendaInstance, session: Session, start: int) -> bool:
    grid = instance.grid
    if session.start_slots is not None and start not in session.start_slots:
        return False
    end = start + session.length
    if end > grid.day_end(start):
        return False
    covered = range(start, end)
    if any(slot in grid.blocked for slot in covered):
        return False
    available = instance.available_slots
    return all(
        all(slot in available[person] for slot in covered)
        for person in session.people
        if person in available
    )


def _overlap_pairs(instance: AgendaInstance) -> tuple[OverlapPair, ...]:
    counts = {
        tuple(sorted((entry.first, entry.second))): entry.count
        for entry in instance.co_attendance
        if entry.count > 0
    }
    themed: set[tuple[str, str]] = set()
    by_theme: dict[str, list[str]] = defaultdict(list)
    for session in instance.sessions:
        if session.theme is not None:
            by_theme[session.theme].append(session.id)
    for ids in by_theme.values():
        themed.update(combinations(sorted(ids), 2))
    keys = sorted(set(counts) | themed)
    return tuple(
        OverlapPair(first, second, counts.get((first, second), 0), (first, second) in themed)
        for first, second in keys
    )
