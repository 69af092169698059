"""CP-SAT model of the one-to-one meeting scheduling problem (Bofill et al., JAIR 2022) with
the extensions real events need: optional meetings with priorities, caps, booths, online
meetings and minimal-move re-solves.

Encoding. ``x[m, s]`` says meeting ``m`` takes slot ``s`` (only for slots its session, both
sides' forbidden slots and any fix allow). ``busy[p, s]`` is the sum of ``x`` over ``p``'s
meetings. ``start[p, s]`` is true exactly when ``p`` is busy in ``s`` and idle in ``s - 1``:
the number of busy runs of ``p`` is the sum of its starts, so
``breaks[p] = starts[p] - has_meeting[p]``. Only the slot is modelled; tables are assigned
afterwards (see ``tables.py``) because any slot plan that respects the per-slot capacity has
a table plan.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Protocol

from ortools.sat.python import cp_model

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.objective import Weights, lexicographic_weights, max_breaks


def capacity_counter_size(instance: MeetingInstance) -> int:
    """Booleans the per-slot capacity counters would add (meetings that may use a shared
    table in the slot x tables, wherever those meetings exceed the tables)."""
    capacity = len(instance.shared_tables)
    per_slot = [0] * instance.n_slots
    for m, meeting in enumerate(instance.meetings):
        if instance.uses_shared_table(meeting):
            for s in instance.allowed_slots[m]:
                per_slot[s] += 1
    return sum(n * capacity for n in per_slot if n > capacity)


class Values(Protocol):
    """Where a reader finds a solution's values: the solver after its search, its solution
    callback during it, or a solution kept from one (``race.KeptSolution``)."""

    def boolean_value(self, literal: Any) -> bool: ...


class BuildStopped(Exception):
    """A model build given up because its ``stop`` event was set: nobody wants the model any
    more (race.Contender: the race was decided while the model was still being built)."""


class MeetingModel:
    def __init__(
        self,
        instance: MeetingInstance,
        *,
        allow_unscheduled: bool = False,
        excluded: frozenset[int] = frozenset(),
        implied_constraints: bool = True,
        integer_span: bool = True,
        capacity_counters: bool = False,
        stop: threading.Event | None = None,
    ) -> None:
        """Builds the model; raises :class:`BuildStopped` once ``stop`` is set (looked at
        between the parts and per slot and participant in the long ones): a build left
        behind by a race went on for 0.5-0.6 s of Python after the solve had returned on
        the forumt instances, holding the interpreter from the next solve."""
        self.instance = instance
        self._stop = stop
        self.allow_unscheduled = allow_unscheduled
        # Meetings that cannot be placed at all (empty domain) stay out of the model.
        self.meeting_ids = [i for i in range(len(instance.meetings)) if i not in excluded]
        self.implied_constraints = implied_constraints
        self.integer_span = integer_span
        self.capacity_counters = capacity_counters
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.scheduled: dict[int, cp_model.LinearExpr | int] = {}
        self.busy: dict[tuple[str, int], cp_model.IntVar] = {}
        self.start: dict[tuple[str, int], cp_model.IntVar] = {}
        self.has_meeting: dict[str, cp_model.IntVar | int] = {}
        self.breaks: dict[str, cp_model.IntVar] = {}
        self.breaks_upper: dict[str, int] = {}
        self.moved: dict[int, cp_model.LinearExprT] = {}
        self._slot_vars: dict[int, cp_model.IntVar] = {}
        self.breaks_total: cp_model.LinearExprT = 0
        # The meeting kept in the first half of the day where the instance is mirror
        # symmetric (_add_mirror_symmetry).
        self.mirrored: int | None = None
        self.weights: Weights = lexicographic_weights(breaks=0, moves=0, unscheduled=0)
        parts = [
            self._add_variables,
            self._add_meeting_once,
            self._add_participant_busy,
            self._add_table_capacity,
            self._add_caps,
            self._add_precedences,
            self._add_break_counting,
            self._add_fairness,
            self._add_mirror_symmetry,
        ]
        if implied_constraints:
            parts += [self._add_implied_constraints, self._add_span_contiguity]
        for part in [*parts, self._add_objective]:
            self.check_stop()
            part()

    def check_stop(self) -> None:
        """Raise :class:`BuildStopped` if the build's ``stop`` is set."""
        if self._stop is not None and self._stop.is_set():
            raise BuildStopped

    # ------------------------------------------------------------------ variables
    def _add_variables(self) -> None:
        inst = self.instance
        for m in self.meeting_ids:
            for s in inst.allowed_slots[m]:
                self.x[m, s] = self.model.new_bool_var(f"x_{m}_{s}")
        for p in inst.participants:
            mine = [m for m in inst.meetings_of[p.id] if m in self.meeting_set]
            slots = sorted({s for m in mine for s in inst.allowed_slots[m]})
            for s in slots:
                self.busy[p.id, s] = self.model.new_bool_var(f"busy_{p.id}_{s}")
            for s in slots:
                if (p.id, s - 1) in self.busy:
                    self.start[p.id, s] = self.model.new_bool_var(f"start_{p.id}_{s}")
                else:
                    # Idle for sure in s - 1: a busy s always starts a run.
                    self.start[p.id, s] = self.busy[p.id, s]

    @property
    def meeting_set(self) -> frozenset[int]:
        return frozenset(self.meeting_ids)

    def _slots_of(self, m: int) -> list[cp_model.IntVar]:
        return [self.x[m, s] for s in self.instance.allowed_slots[m]]

    # ---------------------------------------------------------------- constraints
    def _add_meeting_once(self) -> None:
        for m in self.meeting_ids:
            meeting = self.instance.meetings[m]
            required = not self.allow_unscheduled or meeting.id in self.instance.pinned_slot
            if required:
                self.model.add_exactly_one(self._slots_of(m))
                self.scheduled[m] = 1
            else:
                self.model.add_at_most_one(self._slots_of(m))
                self.scheduled[m] = cp_model.LinearExpr.sum(self._slots_of(m))

    def _add_participant_busy(self) -> None:
        inst = self.instance
        for (pid, s), var in self.busy.items():
            here = [self.x[m, s] for m in inst.meetings_of[pid] if (m, s) in self.x]
            self.model.add(var == sum(here))

    def _add_table_capacity(self) -> None:
        inst = self.instance
        capacity = len(inst.shared_tables)
        for s in range(inst.n_slots):
            shared = [
                self.x[m, s]
                for m in self.meeting_ids
                if (m, s) in self.x and inst.uses_shared_table(inst.meetings[m])
            ]
            if len(shared) > capacity:
                self.model.add(sum(shared) <= capacity)

    def _add_caps(self) -> None:
        inst = self.instance
        for p in inst.participants:
            mine = [m for m in inst.meetings_of[p.id] if m in self.meeting_set]
            if p.max_meetings is not None and len(mine) > p.max_meetings:
                self.model.add(sum(self.scheduled[m] for m in mine) <= p.max_meetings)

    def slot_expr(self, m: int) -> cp_model.LinearExprT:
        return sum(s * self.x[m, s] for s in self.instance.allowed_slots[m])

    def slot_var(self, m: int) -> cp_model.IntVar:
        """The slot of a required meeting as one integer, channelled to its Booleans."""
        var = self._slot_vars.get(m)
        if var is None:
            domain = cp_model.Domain.from_values(list(self.instance.allowed_slots[m]))
            var = self.model.new_int_var_from_domain(domain, f"t_{m}")
            self.model.add(var == self.slot_expr(m))
            self._slot_vars[m] = var
        return var

    def _add_precedences(self) -> None:
        inst = self.instance
        for earlier_id, later_id in inst.precedences:
            e, lt = inst.meeting_index[earlier_id], inst.meeting_index[later_id]
            if e not in self.meeting_set or lt not in self.meeting_set:
                continue
            both = [v for v in (self.scheduled[e], self.scheduled[lt]) if not isinstance(v, int)]
            if both:
                enforce = [self.model.new_bool_var(f"prec_{e}_{lt}")]
                self.model.add(self.scheduled[e] + self.scheduled[lt] >= 2).only_enforce_if(
                    enforce[0]
                )
                self.model.add(self.scheduled[e] + self.scheduled[lt] <= 1).only_enforce_if(
                    ~enforce[0]
                )
                self.model.add(self.slot_expr(e) + 1 <= self.slot_expr(lt)).only_enforce_if(enforce)
            else:
                self.model.add(self.slot_expr(e) + 1 <= self.slot_expr(lt))
            if self.capacity_counters:
                self._add_precedence_clauses(e, lt)

    def _add_precedence_clauses(self, e: int, lt: int) -> None:
        """The same order as clauses, beside the linear form (which the LP keeps). CP-SAT
        propagates these slot by slot; with them the counter model proved the two crafted
        precedence variants that sat at the 60 s limit. Not in the light model: it proves
        other variants, and one of them (ticf-13crafa+precedences-25) took 18-20 s with the
        clauses against 12-13 s without (docs/benchmarks/meetings.md)."""
        allowed = self.instance.allowed_slots
        x = self.x
        if isinstance(self.scheduled[e], int) and isinstance(self.scheduled[lt], int):
            # Both take place: the later meeting in slot s needs the earlier one before s,
            # and the earlier one in slot s the later one after s.
            for s in allowed[lt]:
                self.model.add_bool_or([~x[lt, s], *(x[e, t] for t in allowed[e] if t < s)])
            for s in allowed[e]:
                self.model.add_bool_or([~x[e, s], *(x[lt, t] for t in allowed[lt] if t > s)])
            return
        # Either may be left out: only the pairs of slots in the wrong order are excluded.
        for s in allowed[lt]:
            for t in allowed[e]:
                if t >= s:
                    self.model.add_bool_or([~x[lt, s], ~x[e, t]])

    def _add_break_counting(self) -> None:
        inst = self.instance
        for (pid, s), st in self.start.items():
            prev = self.busy.get((pid, s - 1))
            if prev is None:
                continue
            cur = self.busy[pid, s]
            self.model.add_implication(st, cur)
            self.model.add_implication(st, ~prev)
            self.model.add_bool_or([st, ~cur, prev])
        by_participant: dict[str, list[cp_model.IntVar]] = {}
        busy_of: dict[str, list[cp_model.IntVar]] = {}
        for (pid, _s), st in self.start.items():
            by_participant.setdefault(pid, []).append(st)
        for (pid, _s), b in self.busy.items():
            busy_of.setdefault(pid, []).append(b)
        for pid, starts in by_participant.items():
            mine = [m for m in inst.meetings_of[pid] if m in self.meeting_set]
            if all(isinstance(self.scheduled[m], int) for m in mine):
                self.has_meeting[pid] = 1
            else:
                any_var = self.model.new_bool_var(f"any_{pid}")
                self.model.add_max_equality(any_var, busy_of[pid])
                self.has_meeting[pid] = any_var
            upper = max_breaks(len(mine), inst.n_slots)
            brk = self.model.new_int_var(0, upper, f"breaks_{pid}")
            self.model.add(brk == sum(starts) - self.has_meeting[pid])
            self.breaks[pid] = brk
            self.breaks_upper[pid] = upper
        self.breaks_total = sum(self.breaks.values())

    def _add_fairness(self) -> None:
        d = self.instance.fairness
        if d is None or not self.breaks:
            return
        upper = max(self.breaks_upper.values())
        inst = self.instance
        if inst.fairness_excludes_forced or any(
            u == 0 and isinstance(self.has_meeting[p], int) for p, u in self.breaks_upper.items()
        ):
            # Someone surely has a meeting and no break (one meeting only), or the event
            # measures fairness from zero avoidable breaks: a bound per participant, which
            # propagates far better than max - min.
            for pid, brk in self.breaks.items():
                limit = inst.break_limit(pid)
                if limit is not None and limit < self.breaks_upper[pid]:
                    self.model.add(brk <= limit)
            return
        low = self.model.new_int_var(0, upper, "breaks_min")
        high = self.model.new_int_var(0, upper, "breaks_max")
        for pid, brk in self.breaks.items():
            self.model.add(high >= brk)
            has = self.has_meeting[pid]
            if isinstance(has, int):
                self.model.add(low <= brk)
            else:
                self.model.add(low <= brk).only_enforce_if(has)
        self.model.add(high - low <= d)

    def _add_mirror_symmetry(self) -> None:
        """Where the day played backwards scores every schedule the same
        (:attr:`MeetingInstance.mirror_symmetric`), one meeting stays in the first half of
        the day: of each schedule and its mirror image the model keeps one, which halves
        what a proof of optimality must cover (tic-13crafc: docs/benchmarks/meetings.md)."""
        inst = self.instance
        if not inst.mirror_symmetric:
            return
        last = inst.n_slots - 1
        for m in self.meeting_ids:
            later = [s for s in inst.allowed_slots[m] if 2 * s > last]
            if later:
                self.mirrored = m
                for s in later:
                    self.model.add(self.x[m, s] == 0)
                return

    def _add_implied_constraints(self) -> None:
        inst = self.instance
        # Each participant is busy in exactly as many slots as it has scheduled meetings.
        busy_of: dict[str, list[cp_model.IntVar]] = {}
        for (pid, _s), b in self.busy.items():
            busy_of.setdefault(pid, []).append(b)
        for pid, busy in busy_of.items():
            mine = [m for m in inst.meetings_of[pid] if m in self.meeting_set]
            self.model.add(sum(busy) == sum(self.scheduled[m] for m in mine))
        # Two busy participants per in-person meeting, so a slot holds at most 2*tables of them.
        # Only valid when every meeting needs a shared table (no booths, nothing online).
        tables = len(inst.shared_tables)
        if all(inst.uses_shared_table(inst.meetings[m]) for m in self.meeting_ids):
            for s in range(inst.n_slots):
                here = [b for (_pid, slot), b in self.busy.items() if slot == s]
                if len(here) > 2 * tables:
                    self.model.add(sum(here) <= 2 * tables)
        # Fragmented free time forces breaks whatever the solver does.
        if not self.allow_unscheduled:
            for pid, brk in self.breaks.items():
                if inst.forced_breaks[pid] > 0:
                    self.model.add(brk >= inst.forced_breaks[pid])
            # Anyone with a meeting starts at least one run.
            for _pid, starts in self._starts_by_participant().items():
                self.model.add(sum(starts) >= 1)
            if self.capacity_counters:
                self._add_capacity_counters()

    def _add_capacity_counters(self) -> None:
        """The per-slot table capacity once more, as a Boolean sequential counter (Sinz).

        Redundant with the linear constraint, but CDCL learns clauses over the counter's
        partial sums, where a linear constraint only explains itself by all its true literals.
        On the capacity-tight JAIR instances (forum-13crafc, ticf-13crafc) this is what turns
        minutes without a 1-break schedule into an optimum in 20-30 s; it slows the others
        down (larger model), hence opt-in.
        """
        inst = self.instance
        capacity = len(inst.shared_tables)
        for s in range(inst.n_slots):
            self.check_stop()
            lits = [
                self.x[m, s]
                for m in self.meeting_ids
                if (m, s) in self.x and inst.uses_shared_table(inst.meetings[m])
            ]
            if len(lits) <= capacity or capacity == 0:
                continue
            # reach[j] <=> at least j + 1 of the literals seen so far are true (one direction
            # suffices: the counter only has to forbid capacity + 1).
            reach: list[cp_model.IntVar] | None = None
            for i, lit in enumerate(lits):
                nxt = [self.model.new_bool_var(f"cnt_{s}_{i}_{j}") for j in range(capacity)]
                self.model.add_implication(lit, nxt[0])
                if reach is not None:
                    for j in range(capacity):
                        self.model.add_implication(reach[j], nxt[j])
                    for j in range(1, capacity):
                        self.model.add_bool_or([~lit, ~reach[j - 1], nxt[j]])
                    self.model.add_bool_or([~lit, ~reach[capacity - 1]])
                reach = nxt

    def _add_span_contiguity(self) -> None:
        """Idle slots inside a participant's span: with no break allowed, the busy slots must
        be contiguous, which the start counting alone propagates poorly."""
        inst = self.instance
        busy_slots: dict[str, list[int]] = {}
        for pid, s in self.busy:
            busy_slots.setdefault(pid, []).append(s)
        for pid, slots in busy_slots.items():
            self.check_stop()
            if len(slots) < 2 or pid not in self.breaks:
                continue
            lo, hi = min(slots), max(slots)
            window = range(lo, hi + 1)
            before: dict[int, cp_model.IntVar] = {}
            after: dict[int, cp_model.IntVar] = {}
            for s in window:
                before[s] = self.model.new_bool_var(f"before_{pid}_{s}")
                after[s] = self.model.new_bool_var(f"after_{pid}_{s}")
            for s in window:
                b = self.busy.get((pid, s))
                prev_terms = [before[s - 1]] if s > lo else []
                next_terms = [after[s + 1]] if s < hi else []
                if b is not None:
                    prev_terms.append(b)
                    next_terms.append(b)
                # before[s] <=> busy somewhere in lo..s ; after[s] <=> busy somewhere in s..hi
                self.model.add_max_equality(before[s], prev_terms)
                self.model.add_max_equality(after[s], next_terms)
            brk = self.breaks[pid]
            idle_total = []
            for s in window:
                b = self.busy.get((pid, s))
                idle = self.model.new_bool_var(f"idle_{pid}_{s}")
                # idle <=> before & after & not busy
                busy_here = [b] if b is not None else []
                self.model.add_bool_or([idle, ~before[s], ~after[s], *busy_here])
                self.model.add_implication(idle, before[s])
                self.model.add_implication(idle, after[s])
                if b is not None:
                    self.model.add_implication(idle, ~b)
                self.model.add(brk >= 1).only_enforce_if(idle)
                idle_total.append(idle)
            self.model.add(sum(idle_total) >= brk)
            if self.allow_unscheduled or not self.integer_span:
                continue
            # The same span as integers: a participant's meetings all lie in first..last and
            # take distinct slots there, which bound reasoning and Hall intervals exploit.
            first = self.model.new_int_var(lo, hi, f"first_{pid}")
            last = self.model.new_int_var(lo, hi, f"last_{pid}")
            self.model.add(first == lo + sum(1 - before[s] for s in window))
            self.model.add(last == hi - sum(1 - after[s] for s in window))
            mine = [m for m in inst.meetings_of[pid] if m in self.meeting_set]
            for m in mine:
                self.model.add(first <= self.slot_var(m))
                self.model.add(self.slot_var(m) <= last)
            self.model.add_all_different([self.slot_var(m) for m in mine])
            self.model.add(last - first + 1 == len(mine) + sum(idle_total))

    def _starts_by_participant(self) -> Mapping[str, list[cp_model.IntVar]]:
        out: dict[str, list[cp_model.IntVar]] = {}
        for (pid, _s), st in self.start.items():
            out.setdefault(pid, []).append(st)
        return out

    # ------------------------------------------------------------------ objective
    def _add_objective(self) -> None:
        inst = self.instance
        for m in self.meeting_ids:
            meeting = inst.meetings[m]
            prev = inst.previous.get(meeting.id)
            if prev is None or meeting.id in inst.pinned:
                continue
            stay = self.x.get((m, prev.slot))
            self.moved[m] = 1 - stay if stay is not None else 1
        # The fairness bound is a hard constraint here (_add_fairness): no excess level.
        self.weights = lexicographic_weights(
            breaks=sum(self.breaks_upper.values()),
            moves=len(self.moved),
            unscheduled=sum(inst.meetings[m].priority for m in self.meeting_ids)
            if self.allow_unscheduled
            else 0,
        )
        w = self.weights
        terms: list[cp_model.LinearExprT] = [self.breaks_total]  # w.brk is 1
        if self.moved:
            terms.append(w.move * sum(self.moved.values()))
        if self.allow_unscheduled:
            terms.append(
                w.unscheduled
                * sum(inst.meetings[m].priority * (1 - self.scheduled[m]) for m in self.meeting_ids)
            )
        self.model.minimize(sum(terms))

    def with_breaks_at_most(self, k: int) -> cp_model.CpModel:
        """A copy of the model (the same variable indices, so :meth:`chosen_slots` reads its
        solutions) with the total breaks held at ``k`` at most."""
        copy = self.model.clone()
        copy.add(self.breaks_total <= k)
        return copy

    # ---------------------------------------------------------------------- hints
    def add_hint(self, slots: Mapping[int, int]) -> None:
        """Hint a full assignment (meeting index -> slot) and everything it implies; its
        mirror image where the model keeps only that one (:meth:`_add_mirror_symmetry`)."""
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        last = self.instance.n_slots - 1
        if self.mirrored is not None and 2 * slots.get(self.mirrored, 0) > last:
            slots = {m: last - s for m, s in slots.items()}
        hints: list[tuple[cp_model.IntVar, bool]] = []
        busy_slots: dict[str, set[int]] = {}
        for m in self.meeting_ids:
            chosen = slots.get(m)
            hints.extend((self.x[m, s], chosen == s) for s in self.instance.allowed_slots[m])
            if chosen is not None:
                for pid in self.instance.meetings[m].participants:
                    busy_slots.setdefault(pid, set()).add(chosen)
        for (pid, s), var in self.busy.items():
            hints.append((var, s in busy_slots.get(pid, set())))
        for (pid, s), var in self.start.items():
            if var is self.busy[pid, s]:
                continue
            mine = busy_slots.get(pid, set())
            hints.append((var, s in mine and s - 1 not in mine))
        self._set_hints(hints)

    def _set_hints(self, hints: list[tuple[cp_model.IntVar, bool]]) -> None:
        """What ``CpModel.add_hint`` does per pair (a negated literal hints its variable with
        the value flipped), as one extend of the proto's lists instead of two appends per
        hint."""
        indices: list[int] = []
        values: list[int] = []
        for var, value in hints:
            index = var.index
            if index >= 0:
                indices.append(index)
                values.append(int(value))
            else:
                indices.append(-index - 1)
                values.append(int(not value))
        hint = self.model.proto.solution_hint
        hint.vars.extend(indices)
        hint.values.extend(values)

    # ------------------------------------------------------------------- reading
    def chosen_slots(self, value: Values) -> dict[int, int]:
        out: dict[int, int] = {}
        for (m, s), var in self.x.items():
            if value.boolean_value(var):
                out[m] = s
        return out
