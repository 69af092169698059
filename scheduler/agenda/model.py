"""CP-SAT model of the agenda: one boolean per session, room and start slot."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.agenda.instance import Placement
from scheduler.agenda.prepared import PreparedAgenda

Key = tuple[str, str, int]


class AgendaModel:
    """Booleans over candidate placements only, so features, breaks, days, start times
    and availability are already settled by the prepared instance."""

    def __init__(self, prepared: PreparedAgenda) -> None:
        self.prepared = prepared
        self.instance = prepared.instance
        self.model = cp_model.CpModel()
        self.x: dict[Key, cp_model.IntVar] = {}
        self.overlap: dict[tuple[str, str], cp_model.IntVar] = {}
        self.terms: dict[str, cp_model.LinearExprT] = {}
        self._occupied: dict[str, dict[int, list[cp_model.IntVar]]] = {}
        self._add_variables()
        self._add_one_placement_per_session()
        self._add_one_session_per_room_and_slot()
        self._add_people_never_double_booked()
        self._add_exclusive_sessions_alone()
        self._add_overlap_indicators()
        self._add_objective()
        self._add_hints()

    def _add_variables(self) -> None:
        for session_id, options in self.prepared.candidates.items():
            for room, start in options:
                self.x[session_id, room, start] = self.model.new_bool_var(
                    f"x[{session_id},{room},{start}]"
                )

    def _session_vars(self, session_id: str) -> list[tuple[str, int, cp_model.IntVar]]:
        return [
            (room, start, self.x[session_id, room, start])
            for room, start in self.prepared.candidates[session_id]
        ]

    def _occupancy(self, session_id: str) -> dict[int, list[cp_model.IntVar]]:
        """The session's placement variables by slot they cover (built once: every overlap
        pair of the session asks again; callers only read it)."""
        if session_id not in self._occupied:
            by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for _, start, var in self._session_vars(session_id):
                for slot in self.prepared.covered(session_id, start):
                    by_slot[slot].append(var)
            self._occupied[session_id] = by_slot
        return self._occupied[session_id]

    def _add_one_placement_per_session(self) -> None:
        for session in self.instance.sessions:
            self.model.add_exactly_one(var for _, _, var in self._session_vars(session.id))

    def _add_one_session_per_room_and_slot(self) -> None:
        users: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (session_id, room, start), var in self.x.items():
            for slot in self.prepared.covered(session_id, start):
                users[room, slot].append(var)
        self._at_most_one_each(users.values())

    def _add_people_never_double_booked(self) -> None:
        # Stretching each session by the pause turns "pause between sessions" into plain
        # non-overlap of the stretched sessions.
        for session_ids in self.prepared.person_sessions.values():
            if len(session_ids) < 2:
                continue
            busy: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for session_id in session_ids:
                for _, start, var in self._session_vars(session_id):
                    for slot in self.prepared.pause_covered(session_id, start):
                        busy[slot].append(var)
            self._at_most_one_each(busy.values())

    def _add_exclusive_sessions_alone(self) -> None:
        exclusive: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        others: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for session in self.instance.sessions:
            target = exclusive if session.is_exclusive else others
            for slot, variables in self._occupancy(session.id).items():
                target[slot].extend(variables)
        self._at_most_one_each(exclusive.values())
        room_count = len(self.instance.rooms)
        for slot, excl_vars in exclusive.items():
            if others.get(slot):
                self.model.add(sum(others[slot]) <= room_count * (1 - sum(excl_vars)))

    def _add_overlap_indicators(self) -> None:
        weights = self.instance.weights
        for pair in self.prepared.overlap_pairs:
            costly = (pair.co_attendance > 0 and weights.attendee_clashes > 0) or (
                pair.same_theme and weights.theme_parallel > 0
            )
            if not costly:
                continue
            first, second = self._occupancy(pair.first), self._occupancy(pair.second)
            common = sorted(set(first) & set(second))
            if not common:
                continue
            indicator = self.model.new_bool_var(f"overlap[{pair.first},{pair.second}]")
            for slot in common:
                self.model.add(sum(first[slot]) + sum(second[slot]) <= 1 + indicator)
            self.overlap[pair.first, pair.second] = indicator

    def _add_objective(self) -> None:
        weights = self.instance.weights
        pairs = self.prepared.overlap_pairs
        self.terms["attendee_clashes"] = sum(
            p.co_attendance * self.overlap[p.first, p.second]
            for p in pairs
            if (p.first, p.second) in self.overlap
        )
        self.terms["theme_parallel"] = sum(
            self.overlap[p.first, p.second]
            for p in pairs
            if p.same_theme and (p.first, p.second) in self.overlap
        )
        self.terms["theme_room_changes"] = self._theme_room_changes()
        self.terms["overflow_total"] = sum(
            self._overflow(session_id, room) * var for (session_id, room, _), var in self.x.items()
        )
        self.terms["overflow_max"] = self._overflow_max()
        self.terms["moves"] = self._moves()
        self.model.minimize(sum(getattr(weights, name) * term for name, term in self.terms.items()))

    def _overflow(self, session_id: str, room_id: str) -> int:
        session = self.instance.session_by_id[session_id]
        return max(0, session.audience - self.instance.room_by_id[room_id].capacity)

    def _theme_room_changes(self) -> cp_model.LinearExprT:
        if self.instance.weights.theme_room_changes == 0:
            return 0
        by_theme: dict[str, list[str]] = defaultdict(list)
        for session in self.instance.sessions:
            if session.theme is not None:
                by_theme[session.theme].append(session.id)
        changes: list[cp_model.LinearExprT] = []
        for theme, session_ids in sorted(by_theme.items()):
            if len(session_ids) < 2:
                continue
            in_room: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for session_id in session_ids:
                for room, _, var in self._session_vars(session_id):
                    in_room[room].append(var)
            used = []
            for room, variables in sorted(in_room.items()):
                flag = self.model.new_bool_var(f"theme_room[{theme},{room}]")
                for var in variables:
                    self.model.add_implication(var, flag)
                used.append(flag)
            # Redundant (every session has a room), but it tells the LP that a theme uses
            # a room at least: without it the bound sits at -1 per theme and a zero-cost
            # agenda is never proven optimal.
            self.model.add_bool_or(used)
            changes.append(sum(used) - 1)
        return sum(changes)

    def _overflow_max(self) -> cp_model.LinearExprT:
        if self.instance.weights.overflow_max == 0:
            return 0
        worst_case = max((self._overflow(sid, room) for sid, room, _ in self.x), default=0)
        worst = self.model.new_int_var(0, worst_case, "overflow_max")
        for session in self.instance.sessions:
            self.model.add(
                worst
                >= sum(
                    self._overflow(session.id, room) * var
                    for room, _, var in self._session_vars(session.id)
                )
            )
        return worst

    def _moves(self) -> cp_model.LinearExprT:
        previous = self.instance.previous
        if previous is None:
            return 0
        kept = [
            self.x[p.session, p.room, p.start]
            for p in previous
            if (p.session, p.room, p.start) in self.x
        ]
        still_scheduled = sum(1 for p in previous if p.session in self.instance.session_by_id)
        return still_scheduled - sum(kept)

    def _add_hints(self) -> None:
        for placement in self.instance.previous or ():
            key = (placement.session, placement.room, placement.start)
            if key in self.x:
                self.model.add_hint(self.x[key], 1)

    def hint(self, placements: Iterable[Placement]) -> None:
        """Start the search from a complete agenda (replaces the previous agenda's hint)."""
        chosen = {(p.session, p.room, p.start) for p in placements}
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        for key, var in self.x.items():
            self.model.add_hint(var, key in chosen)

    def _at_most_one_each(self, groups: Iterable[list[cp_model.IntVar]]) -> None:
        for group in groups:
            if len(group) > 1:
                self.model.add_at_most_one(group)

    def placements(self, solver: cp_model.CpSolver) -> tuple[Placement, ...]:
        return tuple(
            Placement(session_id, room, start)
            for (session_id, room, start), var in self.x.items()
            if solver.boolean_value(var)
        )
