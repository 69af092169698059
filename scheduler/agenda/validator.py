"""Checks an agenda against the instance without knowing which solver produced it.

Works on time intervals in minutes and pairwise comparisons, deliberately unlike the
slot-indexed model, so that a shared mistake is unlikely.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from scheduler.agenda.instance import AgendaInstance, Placement, Session
from scheduler.agenda.result import AgendaResult, SoftTerms


@dataclass(frozen=True)
class Violation:
    rule: str
    detail: str


@dataclass(frozen=True)
class ValidationReport:
    violations: tuple[Violation, ...]
    terms: SoftTerms | None
    objective: int | None
    mismatches: tuple[str, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.violations and not self.mismatches

    def rules_broken(self) -> set[str]:
        return {violation.rule for violation in self.violations}


def validate_agenda(
    instance: AgendaInstance, placements: tuple[Placement, ...]
) -> ValidationReport:
    checker = _Checker(instance, placements)
    violations = tuple(checker.violations())
    terms = checker.terms() if checker.complete else None
    objective = terms.weighted(instance.weights) if terms is not None else None
    return ValidationReport(violations, terms, objective)


def check_result(instance: AgendaInstance, result: AgendaResult) -> ValidationReport:
    """Validates the agenda of a result and compares the values it reports."""
    report = validate_agenda(instance, result.placements)
    mismatches = []
    if report.terms is not None and report.terms != result.terms:
        mismatches.append(f"terms: reported {result.terms}, recomputed {report.terms}")
    if report.objective != result.objective:
        mismatches.append(f"objective: reported {result.objective}, recomputed {report.objective}")
    bound, objective = result.bound, report.objective
    if bound is not None and objective is not None and bound > objective + 1e-6:
        mismatches.append(f"bound {result.bound} above objective {report.objective}")
    return ValidationReport(report.violations, report.terms, report.objective, tuple(mismatches))


class _Checker:
    def __init__(self, instance: AgendaInstance, placements: tuple[Placement, ...]) -> None:
        self.instance = instance
        self.placements = placements
        self.by_session = {p.session: p for p in placements}
        minutes = instance.grid.slot_minutes
        self.complete = (
            len(placements) == len(self.by_session) == len(instance.sessions)
            and self.by_session.keys() == instance.session_by_id.keys()
            and all(p.room in instance.room_by_id for p in placements)
        )
        self.window: dict[str, tuple[int, int]] = {
            p.session: (p.start * minutes, (p.start + self._length(p.session)) * minutes)
            for p in placements
            if p.session in instance.session_by_id
        }

    def _length(self, session_id: str) -> int:
        return self.instance.session_by_id[session_id].length

    def _session(self, placement: Placement) -> Session:
        return self.instance.session_by_id[placement.session]

    def violations(self) -> list[Violation]:
        found = self._placed_once()
        known = [p for p in self.placements if p.session in self.instance.session_by_id]
        for placement in known:
            found += self._single(placement)
        for first, second in combinations(known, 2):
            found += self._pair(first, second)
        return found

    def _placed_once(self) -> list[Violation]:
        found = []
        seen: set[str] = set()
        for p in self.placements:
            if p.session not in self.instance.session_by_id:
                found.append(Violation("placement", f"unknown session {p.session}"))
            elif p.session in seen:
                found.append(Violation("placement", f"{p.session} placed more than once"))
            seen.add(p.session)
        for session in self.instance.sessions:
            if session.id not in seen:
                found.append(Violation("placement", f"{session.id} not placed"))
        return found

    def _single(self, p: Placement) -> list[Violation]:
        instance, grid, session = self.instance, self.instance.grid, self._session(p)
        room = instance.room_by_id.get(p.room)
        last = p.start + session.length - 1
        found = []
        if room is None:
            found.append(Violation("placement", f"{p.session} in unknown room {p.room}"))
        elif not session.required_features <= room.features:
            missing = sorted(session.required_features - room.features)
            found.append(Violation("features", f"{p.session} in {p.room} lacks {missing}"))
        if (
            p.start < 0
            or last >= grid.num_slots
            or p.start // grid.slots_per_day != (last // grid.slots_per_day)
        ):
            found.append(Violation("grid", f"{p.session} does not fit inside one day"))
        slots = set(range(p.start, last + 1))
        if slots & grid.blocked:
            found.append(Violation("blocked", f"{p.session} runs into a break"))
        if session.start_slots is not None and p.start not in session.start_slots:
            found.append(Violation("start_slots", f"{p.session} starts at {p.start}"))
        for person in sorted(session.people):
            available = instance.available_slots.get(person)
            if available is not None and not slots <= available:
                found.append(Violation("availability", f"{person} unavailable for {p.session}"))
        pin = session.pinned
        if pin is not None and (pin.room, pin.start) != (p.room, p.start):
            found.append(Violation("pinned", f"{p.session} moved off its pin"))
        return found

    def _pair(self, a: Placement, b: Placement) -> list[Violation]:
        found = []
        names = f"{a.session}/{b.session}"
        overlap = self._overlap(a.session, b.session)
        if overlap and a.room == b.room:
            found.append(Violation("room_double_booking", names))
        first, second = self._session(a), self._session(b)
        shared = first.people & second.people
        if shared and overlap:
            found.append(Violation("person_overlap", f"{sorted(shared)} in {names}"))
        elif shared:
            gap = self._gap_minutes(a, b)
            needed = self.instance.min_pause * self.instance.grid.slot_minutes
            if gap is not None and gap < needed:
                found.append(Violation("pause", f"{sorted(shared)} between {names}"))
        if overlap and (first.is_exclusive or second.is_exclusive):
            found.append(Violation("exclusive", f"{names} beside a plenary/keynote"))
        return found

    def _overlap(self, first: str, second: str) -> bool:
        (start_a, end_a), (start_b, end_b) = self.window[first], self.window[second]
        return start_a < end_b and start_b < end_a

    def _gap_minutes(self, a: Placement, b: Placement) -> int | None:
        """Minutes between two non-overlapping sessions on the same day, else None."""
        per_day = self.instance.grid.slots_per_day
        if a.start // per_day != b.start // per_day:
            return None
        (start_a, end_a), (start_b, end_b) = self.window[a.session], self.window[b.session]
        return start_b - end_a if start_a <= start_b else start_a - end_b

    def terms(self) -> SoftTerms:
        instance = self.instance
        counts = {frozenset((c.first, c.second)): c.count for c in instance.co_attendance}
        clashes = parallel = 0
        for first, second in combinations(instance.sessions, 2):
            if self._overlap(first.id, second.id):
                clashes += counts.get(frozenset((first.id, second.id)), 0)
                parallel += int(first.theme is not None and first.theme == second.theme)
        rooms_of_theme: dict[str, set[str]] = {}
        overflow = []
        for session in instance.sessions:
            placement = self.by_session[session.id]
            if session.theme is not None:
                rooms_of_theme.setdefault(session.theme, set()).add(placement.room)
            capacity = instance.room_by_id[placement.room].capacity
            overflow.append(max(0, session.audience - capacity))
        moves = sum(
            1
            for before in instance.previous or ()
            if before.session in self.by_session and self.by_session[before.session] != before
        )
        return SoftTerms(
            attendee_clashes=clashes,
            theme_parallel=parallel,
            theme_room_changes=sum(len(rooms) - 1 for rooms in rooms_of_theme.values()),
            overflow_total=sum(overflow),
            overflow_max=max(overflow, default=0),
            moves=moves,
        )
