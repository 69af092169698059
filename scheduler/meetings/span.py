"""The compact "span" model: one slot variable per meeting, idle slots inside each day.

The exact model (``model.py``) and the neighbourhood model (``large_event.py``) have one
Boolean per (meeting, slot) pair and count breaks slot by slot; at thousands of participants
that is hundreds of thousands of Booleans. Here every meeting to place is one integer
variable (its slot; the domain holds the slots its day part, both sides' availability, a fix
or a pin allow and where a table can still be free), every participant's meetings are
pairwise different (``AllDifferent``), every participant has a start and an end variable
around their meetings, and shared tables are a cumulative resource of size-1 intervals. The
objective is the number of idle slots inside each participant's span,
``sum(end - start + 1 - meetings)``: zero exactly when nobody has a break, and an upper bound
of the breaks of ``objective.py`` (a break is a run of one or more idle slots). A participant
whose meetings exactly fill their availability has a forced span; AllDifferent over such
days propagates strongly, which is what tight events need.

The model re-places a set of ``free`` meetings (all the meetings, or a neighbourhood) while
every other meeting keeps its slot. Every free meeting must be placed, so it serves strict
solves (and any plan that already places the free meetings). Caps, fixes, pins, morning-only
meetings, precedences, booths (one meeting per slot for the booth's owner anyway) and online
meetings (no table) hold by construction. The fairness bound is not in the model (it counts
runs, not idle slots): callers score the result with ``objective.evaluate`` and keep it only
if it is better, so the proxy can never make a schedule worse.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.objective import count_breaks, evaluate


class SpanModel:
    """Re-place the ``free`` meetings of ``plan`` (meeting index -> slot), minimising the idle
    slots inside the spans of everyone they involve; other meetings stay where they are."""

    def __init__(
        self,
        instance: MeetingInstance,
        plan: Mapping[int, int],
        free: set[int],
        idle_cap: Mapping[str, int] | None = None,
    ) -> None:
        inst = instance
        self.instance = inst
        self.model = cp_model.CpModel()
        self.free = sorted(free)
        self.feasible = True
        free_set = set(self.free)
        people = sorted({p for m in self.free for p in inst.meetings[m].participants})
        fixed_busy: dict[str, set[int]] = {}
        for pid in people:
            fixed_busy[pid] = {
                plan[m] for m in inst.meetings_of[pid] if m not in free_set and m in plan
            }
        capacity = len(inst.shared_tables)
        used = [0] * inst.n_slots
        for m, s in plan.items():
            if m not in free_set and inst.uses_shared_table(inst.meetings[m]):
                used[s] += 1

        self.x: dict[int, cp_model.IntVar] = {}
        intervals: list[cp_model.IntervalVar] = []
        for m in self.free:
            meeting = inst.meetings[m]
            a, b = meeting.participants
            shared = inst.uses_shared_table(meeting)
            domain = [
                s
                for s in inst.allowed_slots[m]
                if s not in fixed_busy[a]
                and s not in fixed_busy[b]
                and not (shared and used[s] >= capacity)
            ]
            if not domain:
                self.feasible = False
                return
            var = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(domain), f"slot_{m}"
            )
            self.x[m] = var
            if m in plan:
                self.model.add_hint(var, plan[m])
            if shared:
                intervals.append(self.model.new_fixed_size_interval_var(var, 1, f"at_{m}"))
        if intervals:
            demands = [1] * len(intervals)
            for s in range(inst.n_slots):
                if 0 < used[s] < capacity:
                    intervals.append(self.model.new_fixed_size_interval_var(s, 1, f"used_{s}"))
                    demands.append(used[s])
            # Only worth a constraint where the free meetings could overfill some slot.
            self.model.add_cumulative(intervals, demands, capacity)
        for earlier, later in inst.precedences:
            e, lt = inst.meeting_index[earlier], inst.meeting_index[later]
            if e in self.x and lt in self.x:
                self.model.add(self.x[e] < self.x[lt])
            elif e in self.x and lt in plan:
                self.model.add(self.x[e] < plan[lt])
            elif lt in self.x and e in plan:
                self.model.add(self.x[lt] > plan[e])

        last = inst.n_slots - 1
        spans: list[cp_model.LinearExpr] = []
        for pid in people:
            mine = [self.x[m] for m in inst.meetings_of[pid] if m in self.x]
            if len(mine) > 1:
                self.model.add_all_different(mine)
            fixed = fixed_busy[pid]
            lo_max = min(fixed) if fixed else last
            hi_min = max(fixed) if fixed else 0
            start = self.model.new_int_var(0, lo_max, f"start_{pid}")
            end = self.model.new_int_var(hi_min, last, f"end_{pid}")
            for var in mine:
                self.model.add(start <= var)
                self.model.add(var <= end)
            now = fixed | {plan[m] for m in inst.meetings_of[pid] if m in self.x and m in plan}
            if now:
                self.model.add_hint(start, min(now))
                self.model.add_hint(end, max(now))
            # Implied by AllDifferent, but stated: the LP bound then starts at 0 idle slots.
            self.model.add(end - start >= len(mine) + len(fixed) - 1)
            if idle_cap is not None and pid in idle_cap:
                self.model.add(end - start <= len(mine) + len(fixed) - 1 + idle_cap[pid])
            spans.append(end - start)
        self.model.minimize(cp_model.LinearExpr.sum(spans))

    def solve(
        self, time_limit: float, workers: int, seed: int, log: bool = False
    ) -> tuple[dict[int, int], bool] | None:
        """The free meetings' new slots and whether the model proved them optimal, or None."""
        if not self.feasible or not self.free:
            return None
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.log_search_progress = log
        code = solver.solve(self.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return {m: solver.value(v) for m, v in self.x.items()}, code == cp_model.OPTIMAL


def idle_slots(instance: MeetingInstance, plan: Mapping[int, int], pid: str) -> int:
    """Idle slots between ``pid``'s first and last meeting in ``plan``."""
    slots = {plan[m] for m in instance.meetings_of[pid] if m in plan}
    return max(slots) - min(slots) + 1 - len(slots) if slots else 0


@dataclass
class SpanWalk:
    """The outcome of :func:`span_walk`: where the walk ended and the best plan it saw."""

    current: dict[int, int]
    best: dict[int, int]
    rounds: int


def span_walk(
    instance: MeetingInstance,
    plan: Mapping[int, int],
    movable: set[int],
    deadline: float,
    workers: int,
    seed: int,
    should_stop: Callable[[], bool],
    neighbourhood: int = 100,
    step_limit: float = 0.5,
) -> SpanWalk:
    """Large neighbourhood search with the span model, walking towards fewer idle slots.

    Each round frees the movable, placed meetings of a group of participants linked by
    meetings, seeded at someone with idle slots and grown breadth-first through their partners
    (those with idle slots first) up to ``neighbourhood`` meetings; the span model re-places
    them. The walk accepts an answer with no more fairness excess and no more idle slots in
    total, so it may pass through schedules with more breaks (it consolidates nobody's idle
    slots into one break); ``best`` is the best plan by ``objective.evaluate`` it met, never
    worse than ``plan``. Local search from ``current`` then turns the shorter spans into
    fewer breaks (measured, docs/benchmarks/meetings.md).
    """
    inst = instance
    rng = random.Random(seed)
    people = [p.id for p in inst.participants if inst.meetings_of[p.id]]
    limit = {pid: inst.break_limit(pid) for pid in people}

    def levels(trial: Mapping[int, int], pid: str) -> tuple[int, int, int]:
        slots = [trial[m] for m in inst.meetings_of[pid] if m in trial]
        breaks = count_breaks(slots)
        cap = limit[pid]
        excess = 0 if cap is None else max(0, breaks - cap)
        return excess, idle_slots(inst, trial, pid), breaks

    current = dict(plan)
    state = {pid: levels(current, pid) for pid in people}
    totals = [sum(v[i] for v in state.values()) for i in range(3)]
    best = dict(plan)
    best_score = evaluate(inst, best)
    rounds = 0
    while time.perf_counter() < deadline - 0.05 and not should_stop():
        idle = {pid: v[1] for pid, v in state.items()}
        seeds = [pid for pid, v in idle.items() if v > 0]
        if not seeds:
            break
        free = _group(inst, current, movable, rng.choice(seeds), neighbourhood, rng, idle)
        left = deadline - time.perf_counter()
        answer = SpanModel(inst, current, free).solve(min(step_limit, left), workers, seed + rounds)
        rounds += 1
        if answer is None:
            continue
        trial = dict(current)
        trial.update(answer[0])
        touched = {p for m in free for p in inst.meetings[m].participants}
        after = {pid: levels(trial, pid) for pid in touched}
        new_totals = [
            totals[i] + sum(after[pid][i] - state[pid][i] for pid in touched) for i in range(3)
        ]
        if (new_totals[0], new_totals[1]) > (totals[0], totals[1]):
            continue
        current, totals = trial, new_totals
        state.update(after)
        if (totals[0], totals[2]) <= (best_score.excess, best_score.breaks):
            score = evaluate(inst, current)
            if score < best_score:
                best, best_score = dict(current), score
    return SpanWalk(current=current, best=best, rounds=rounds)


def _group(
    inst: MeetingInstance,
    plan: Mapping[int, int],
    movable: set[int],
    seed_pid: str,
    limit: int,
    rng: random.Random,
    idle: Mapping[str, int],
) -> set[int]:
    """Movable meetings of participants reached breadth-first from ``seed_pid``, up to
    ``limit`` meetings; partners with idle slots are visited first."""
    free: set[int] = set()
    seen = {seed_pid}
    queue = deque([seed_pid])
    while queue and len(free) < limit:
        pid = queue.popleft()
        mine = [m for m in inst.meetings_of[pid] if m in movable and m in plan]
        free.update(mine)
        partners = [q for m in mine for q in inst.meetings[m].participants if q not in seen]
        rng.shuffle(partners)
        partners.sort(key=lambda q: -idle.get(q, 0))
        for q in partners:
            if q not in seen:
                seen.add(q)
                queue.append(q)
    return free
