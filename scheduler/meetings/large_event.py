"""Large events (thousands of participants): greedy and sweep restarts, Kempe-chain
annealing (``local_search.py``), then large neighbourhood search.

The full model of a 3,000-participant event has hundreds of thousands of Booleans and does
not even finish presolve in a minute on two cores. Instead the break-aware greedy builds a
schedule in under a second, and CP-SAT then re-optimises one neighbourhood at a time: a
group of participants linked by meetings, whose meetings among themselves are freed while
everything else stays put. Only freed meetings move, so the breaks of everyone outside the
group are unchanged and every accepted neighbourhood improves the whole schedule.

The neighbourhood objective is the one of ``objective.py``, with weights derived from what
the neighbourhood can change: fairness excess (breaks above ``d`` over the best-off
participant, who has none at these sizes) first, then priority-weighted unscheduled meetings,
then on a re-solve moves away from the published slots, then breaks; in strict solves (every
meeting must be placed) placement comes before fairness, and meetings still unplaced get
neighbourhoods of their own first. Meetings with a fix or a pin never move; the local search
moves ordered meetings (precedences) only to slots that keep their order, and the
neighbourhoods never free them.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.meetings.bounds import relaxation
from scheduler.meetings.greedy import greedy_schedule
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.local_search import EJECT_WORSE, LocalSearch
from scheduler.meetings.objective import (
    Score,
    Weights,
    count_breaks,
    evaluate,
    ideal_score,
    lexicographic_weights,
    max_breaks,
)
from scheduler.meetings.options import SolveOptions
from scheduler.meetings.result import MeetingResult, Progress, ProgressFn, Status
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.span import span_walk
from scheduler.meetings.sweep import sweep_schedule
from scheduler.meetings.validator import validate
from scheduler.meetings.zero_break import ZeroBreakProbe

# Share of the budget: restarts until KEMPE_FROM, Kempe-chain annealing until EJECT_FROM,
# ejection chains (``LocalSearch.eject_walk``) until KEMPE_UNTIL, then neighbourhoods: at
# 3,000 and 10,000 participants the solve ends with a fifth to a third fewer breaks than
# with the annealing alone (docs/benchmarks/meetings.md). With every meeting placed, at its
# start or once it places the last, the walk runs to the end instead (``_walk``). Restarts
# and annealing are short:
# the annealing places what the restarts strand, and the walk cuts breaks faster (3,000
# participants: 178 breaks with the walk from 15%, 185 from 30%, 200 from 55%). With
# ``SolveOptions.span_walk`` (strict solves, off by default: it did not help) the annealing
# stops at SPAN_FROM, the span model's walk to fewer idle slots (``span.py``) runs until
# SPAN_UNTIL, then annealing again, without ejection chains.
KEMPE_FROM, EJECT_FROM, KEMPE_UNTIL = 0.10, 0.15, 0.85
# The SAT searches guided by the local search's schedule (``ZeroBreakProbe.follow``; the
# ejection walk's, which starts at 15%): per search, the share of the limit at which it
# starts and CaDiCaL's seed. The first takes the unguided search's core (that search is
# stopped: at 1,000 participants it never answered first after its first seconds, and the
# guided ones did on 8 to 10 seeds of 10), the walk goes on beside it on the other core
# and gives the second a guide of its own; from then the local search waits for them until
# FOLLOW_UNTIL, leaving them both cores. Two guides and two seeds: the time a guided search
# takes is a draw (10-35 s at 1,000 participants, sometimes past the limit), and two draws
# missed less often than one (docs/benchmarks/meetings.md). Only up to FOLLOW_MAX_MEETINGS
# meetings, as a guided search's time goes into placing them: on the tight family they
# reached 0 breaks on 7 of 12 seeds at 1,000 participants with 5,200-5,400 meetings
# (57,600 pairs; 1 of 12 without them), and on 1 of 12 with 5,500-6,100 (1,000
# participants with longer windows, 65,000-73,000 pairs, or 1,500 with 51,000); where
# they miss, the annealing's wait for them costs 3-22 breaks.
FOLLOW_UNTIL = 0.8
GUIDED = ((0.25, 1), (0.4, 0))
FOLLOW_MAX_MEETINGS = 5_500
SPAN_FROM, SPAN_UNTIL = 0.45, 0.70
# Events with at most this many movable meetings are tried as one neighbourhood first (and
# every 20 rounds): a proof of optimality ends the search.
SMALL_EVENT_MEETINGS = 240
# Strict solves: neighbourhoods around an unplaced meeting (``_missing_neighbourhood``), as
# (meetings, seconds), the next one after each failure (measured, docs/benchmarks/meetings.md).
MISSING_SIZES = ((150, 1.0), (300, 1.5), (600, 3.0), (1_200, 5.0))


def polish(
    instance: MeetingInstance,
    plan: Mapping[int, int],
    seed: int,
    deadline: float,
    should_stop: Callable[[], bool],
) -> dict[int, int]:
    """``plan`` improved by the ejection walk until ``deadline``, the best schedule it met
    (fixed and pinned meetings stay where they are, ordered ones keep their order)."""
    movable = _walkable(instance)
    search = LocalSearch(instance, plan, movable, seed=seed)
    search.eject_walk(deadline, should_stop)
    return dict(search.slot_of)


def _pinned_meetings(instance: MeetingInstance) -> set[int]:
    return {m for m, meeting in enumerate(instance.meetings) if meeting.id in instance.pinned_slot}


def _frozen_meetings(instance: MeetingInstance) -> set[int]:
    """What the CP-SAT neighbourhoods never free: fixed, pinned and ordered meetings."""
    return _pinned_meetings(instance) | {
        instance.meeting_index[mid] for pair in instance.precedences for mid in pair
    }


def _walkable(instance: MeetingInstance) -> set[int]:
    """What the local search may move: all but the fixed and pinned meetings (ordered ones
    only to slots that keep their order)."""
    return set(range(len(instance.meetings))) - _pinned_meetings(instance)


class LnsState:
    """The current schedule with the occupancy needed to carve out neighbourhoods."""

    def __init__(self, instance: MeetingInstance, plan: Mapping[int, int]) -> None:
        self.instance = instance
        self.slot_of: dict[int, int] = dict(plan)
        self.shared_used = [0] * instance.n_slots
        for m, s in plan.items():
            if instance.uses_shared_table(instance.meetings[m]):
                self.shared_used[s] += 1
        self.frozen = _frozen_meetings(instance)

    def breaks_of(self, pid: str) -> int:
        return count_breaks(
            self.slot_of[m] for m in self.instance.meetings_of[pid] if m in self.slot_of
        )

    def apply(self, changes: Mapping[int, int | None]) -> None:
        inst = self.instance
        for m, slot in changes.items():
            shared = inst.uses_shared_table(inst.meetings[m])
            old = self.slot_of.pop(m, None)
            if old is not None and shared:
                self.shared_used[old] -= 1
            if slot is not None:
                self.slot_of[m] = slot
                if shared:
                    self.shared_used[slot] += 1


class NeighbourhoodModel:
    """Re-optimise the ``free`` meetings; everything else is fixed context.

    The breaks of every participant of a free meeting are recounted over their whole day,
    with their other meetings as constants.
    """

    def __init__(self, state: LnsState, free: set[int], placement_first: bool = False) -> None:
        inst = state.instance
        self.state = state
        self.model = cp_model.CpModel()
        self.free = sorted(m for m in free if m not in state.frozen)
        self.covers_everything = len(self.free) == len(inst.meetings) - len(state.frozen)
        self.proven = False
        free_set = set(self.free)
        group = {p for m in self.free for p in inst.meetings[m].participants}
        fixed_busy: dict[str, set[int]] = {pid: set() for pid in group}
        fixed_count: dict[str, int] = {pid: 0 for pid in group}
        for pid in group:
            for m in inst.meetings_of[pid]:
                if m not in free_set and m in state.slot_of:
                    fixed_busy[pid].add(state.slot_of[m])
                    fixed_count[pid] += 1
        residual = list(len(inst.shared_tables) - u for u in state.shared_used)
        for m in self.free:
            if m in state.slot_of and inst.uses_shared_table(inst.meetings[m]):
                residual[state.slot_of[m]] += 1

        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        for m in self.free:
            meeting = inst.meetings[m]
            a, b = meeting.participants
            shared = inst.uses_shared_table(meeting)
            for s in inst.allowed_slots[m]:
                if s in fixed_busy[a] or s in fixed_busy[b] or (shared and residual[s] <= 0):
                    continue
                self.x[m, s] = self.model.new_bool_var(f"x_{m}_{s}")
        lits_of: dict[int, list[cp_model.IntVar]] = {m: [] for m in self.free}
        for (m, _s), v in self.x.items():
            lits_of[m].append(v)
        sched: dict[int, cp_model.LinearExpr] = {}
        for m in self.free:
            self.model.add_at_most_one(lits_of[m])
            sched[m] = cp_model.LinearExpr.sum(lits_of[m])
        by_slot: dict[int, list[cp_model.IntVar]] = {}
        for (m, s), v in self.x.items():
            if inst.uses_shared_table(inst.meetings[m]):
                by_slot.setdefault(s, []).append(v)
        for s, lits in by_slot.items():
            if len(lits) > residual[s]:
                self.model.add(cp_model.LinearExpr.sum(lits) <= residual[s])

        self.weights: Weights = lexicographic_weights(
            breaks=sum(max_breaks(len(inst.meetings_of[pid]), inst.n_slots) for pid in group),
            moves=sum(1 for m in self.free if m in inst.published_slots),
            unscheduled=sum(inst.meetings[m].priority for m in self.free),
        )
        if placement_first:
            self.weights = _placement_first(self.weights, len(group) * inst.n_slots)
        w = self.weights
        objective: list[cp_model.LinearExpr] = []
        # A complete hint (the current schedule) makes the first solution immediate.
        hint: dict[cp_model.IntVar, int] = {}
        for pid in group:
            mine = [m for m in inst.meetings_of[pid] if m in free_set]
            now = fixed_busy[pid] | {state.slot_of[m] for m in mine if m in state.slot_of}
            cap = inst.participants[inst.participant_index[pid]].max_meetings
            if cap is not None and mine:
                self.model.add(
                    cp_model.LinearExpr.sum([sched[m] for m in mine]) <= cap - fixed_count[pid]
                )
            busy: list[cp_model.IntVar | int] = []
            for s in range(inst.n_slots):
                if s in fixed_busy[pid]:
                    busy.append(1)
                    continue
                here = [self.x[m, s] for m in mine if (m, s) in self.x]
                if not here:
                    busy.append(0)
                elif len(here) == 1:
                    busy.append(here[0])
                else:
                    var = self.model.new_bool_var(f"busy_{pid}_{s}")
                    self.model.add(var == cp_model.LinearExpr.sum(here))
                    hint[var] = int(s in now)
                    busy.append(var)
            starts: list[cp_model.LinearExpr | int] = []
            for s in range(inst.n_slots):
                cur, prev = busy[s], busy[s - 1] if s > 0 else 0
                if isinstance(cur, int) and isinstance(prev, int):
                    starts.append(1 if cur == 1 and prev == 0 else 0)
                elif isinstance(cur, int):
                    if cur == 1:
                        assert not isinstance(prev, int)
                        starts.append(~prev)
                    else:
                        starts.append(0)
                else:
                    st = self.model.new_bool_var(f"start_{pid}_{s}")
                    self.model.add_implication(st, cur)
                    if isinstance(prev, int):
                        if prev == 1:
                            self.model.add(st == 0)
                        else:
                            self.model.add(st == cur)
                    else:
                        self.model.add_implication(st, ~prev)
                        self.model.add_bool_or([st, ~cur, prev])
                    hint[st] = int(s in now and s - 1 not in now)
                    starts.append(st)
            variable_busy = [v for v in busy if not isinstance(v, int)]
            if fixed_busy[pid]:
                has: cp_model.IntVar | int = 1
            elif variable_busy:
                has = self.model.new_bool_var(f"any_{pid}")
                self.model.add_max_equality(has, variable_busy)
                hint[has] = int(bool(now))
            else:
                continue
            brk = cp_model.LinearExpr.sum(starts) - has
            objective.append(brk)
            limit = inst.break_limit(pid)
            if limit is not None:
                excess = self.model.new_int_var(0, inst.n_slots, f"excess_{pid}")
                self.model.add(excess >= brk - limit)
                hint[excess] = max(0, count_breaks(now) - limit)
                objective.append(w.excess * excess)
        for m in self.free:
            objective.append(w.unscheduled * inst.meetings[m].priority * (1 - sched[m]))
            published = inst.published_slots.get(m)
            if published is not None:
                # No variable for the published slot: taken for good, the move is a constant.
                stay = self.x.get((m, published))
                if stay is not None:
                    objective.append(w.move * (1 - stay))
        self.model.minimize(cp_model.LinearExpr.sum(objective))
        for (m, s), v in self.x.items():
            self.model.add_hint(v, state.slot_of.get(m) == s)
        for var, value in hint.items():
            self.model.add_hint(var, value)

    def solve(self, time_limit: float, workers: int, seed: int) -> dict[int, int | None] | None:
        if not self.free:
            return None
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        code = solver.solve(self.model)
        # Proven optimal for these meetings, the rest fixed: for the whole event when the
        # neighbourhood holds every meeting that may move.
        self.proven = code == cp_model.OPTIMAL
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        chosen: dict[int, int | None] = {m: None for m in self.free}
        for (m, s), v in self.x.items():
            if solver.boolean_value(v):
                chosen[m] = s
        return chosen


def _placement_first(weights: Weights, max_excess: int) -> Weights:
    """Strict solves (every meeting must be placed): one more meeting placed outweighs any
    fairness excess, which then comes before moves and breaks as usual. ``max_excess``
    bounds the excess a neighbourhood can change."""
    # The unscheduled weight already outweighs every move and break: excess takes it over.
    excess = weights.unscheduled
    unscheduled = (max_excess + 1) * excess
    return Weights(excess=excess, unscheduled=unscheduled, move=weights.move, brk=weights.brk)


def _neighbourhood(
    rng: random.Random, state: LnsState, size: int, weights: Mapping[str, float]
) -> set[int]:
    """All meetings of a few participants linked by meetings, so they can swap slots."""
    inst = state.instance
    people = list(weights)
    seed = rng.choices(people, weights=[weights[p] for p in people], k=1)[0]
    group = {seed}
    queue = deque([seed])
    while queue and len(group) < size:
        pid = queue.popleft()
        partners = [
            q for m in inst.meetings_of[pid] for q in inst.meetings[m].participants if q != pid
        ]
        rng.shuffle(partners)
        for q in partners:
            if q not in group and len(group) < size:
                group.add(q)
                queue.append(q)
    return {m for pid in group for m in inst.meetings_of[pid]}


def _unplaced_movable(state: LnsState) -> list[int]:
    """Meetings that are not placed, may move and have an allowed slot."""
    inst = state.instance
    return [
        m
        for m in range(len(inst.meetings))
        if m not in state.slot_of and m not in state.frozen and inst.allowed_slots[m]
    ]


def _missing_neighbourhood(
    rng: random.Random, state: LnsState, unplaced: list[int], limit: int
) -> set[int]:
    """One of the ``unplaced`` meetings with every meeting of its two participants, of their
    partners, of their partners' partners and so on, breadth first, up to ``limit`` meetings.

    On tight events a stranded meeting fits only when its participants' days shift, which
    moves their partners' meetings, which moves those partners' partners' meetings: the
    chains the annealing looks for one at a time, here all at once for CP-SAT."""
    target = rng.choice(unplaced)
    return _spread(rng, state, {target}, state.instance.meetings[target].participants, limit)


def _excess_neighbourhood(rng: random.Random, state: LnsState, pid: str, limit: int) -> set[int]:
    """The same around ``pid``, above their break limit: a day with too many breaks is
    mended by shifting the days around it, as a stranded meeting is placed."""
    return _spread(rng, state, set(), [pid], limit)


def _spread(
    rng: random.Random, state: LnsState, free: set[int], people: Sequence[str], limit: int
) -> set[int]:
    """``free`` plus every meeting of ``people``, of their partners and so on, breadth first,
    up to ``limit`` meetings."""
    inst = state.instance
    reached = set(people)
    queue = deque(sorted(reached))
    while queue and len(free) < limit:
        pid = queue.popleft()
        mine = list(inst.meetings_of[pid])
        rng.shuffle(mine)
        for m in mine:
            free.add(m)
            for q in inst.meetings[m].participants:
                if q not in reached:
                    reached.add(q)
                    queue.append(q)
    return free


def _places_more(state: LnsState, changes: Mapping[int, int | None] | None) -> bool:
    """Whether ``changes`` (a neighbourhood's answer) place more meetings than there are."""
    if changes is None:
        return False
    placed = sum(1 for slot in changes.values() if slot is not None)
    return placed > sum(1 for m in changes if m in state.slot_of)


def _over_limit(instance: MeetingInstance, slot_of: Mapping[int, int]) -> list[str]:
    """Participants with more breaks than their fairness limit allows, in input order."""
    if instance.fairness is None:
        return []
    busy: dict[str, list[int]] = {}
    for m, s in slot_of.items():
        for pid in instance.meetings[m].participants:
            busy.setdefault(pid, []).append(s)
    over = []
    for person in instance.participants:
        limit = instance.break_limit(person.id)
        slots = busy.get(person.id)
        if slots and limit is not None and count_breaks(slots) > limit:
            over.append(person.id)
    return over


def _window_neighbourhood(
    rng: random.Random, state: LnsState, limit: int, weights: Mapping[str, float], width: int = 3
) -> set[int]:
    """The meetings of a few consecutive slots around a participant with a problem, spreading
    through whoever meets there (up to ``limit`` meetings), plus their unplaced meetings.

    On tight events (everyone busy in every slot they are present) a meeting can only move by
    swapping with others in the same slots; re-matching a band of slots does exactly that.
    """
    inst = state.instance
    people = list(weights)
    seed = rng.choices(people, weights=[weights[p] for p in people], k=1)[0]
    mine = [state.slot_of[m] for m in inst.meetings_of[seed] if m in state.slot_of]
    unplaced = [m for m in inst.meetings_of[seed] if m not in state.slot_of]
    around = mine + [s for m in unplaced for s in inst.allowed_slots[m]]
    centre = rng.choice(around) if around else rng.randrange(inst.n_slots)
    lo = max(0, min(centre - rng.randrange(width), inst.n_slots - width))
    band = range(lo, lo + width)
    by_slot: dict[int, dict[str, int]] = {s: {} for s in band}
    for m, s in state.slot_of.items():
        if s in by_slot:
            for p in inst.meetings[m].participants:
                by_slot[s][p] = m
    free: set[int] = set()
    reached = {seed}
    queue = deque([seed])
    while queue and len(free) < limit:
        pid = queue.popleft()
        for s in band:
            here = by_slot[s].get(pid)
            if here is None or here in free:
                continue
            free.add(here)
            for q in inst.meetings[here].participants:
                if q not in reached:
                    reached.add(q)
                    queue.append(q)
    for pid in reached:
        for m in inst.meetings_of[pid]:
            if m not in state.slot_of and any(s in band for s in inst.allowed_slots[m]):
                free.add(m)
    return free


def _seed_weights(state: LnsState) -> dict[str, float]:
    """Participants with breaks or unplaced meetings seed neighbourhoods more often."""
    inst = state.instance
    return {
        p.id: 1.0
        + 3 * state.breaks_of(p.id)
        + 5 * sum(1 for m in inst.meetings_of[p.id] if m not in state.slot_of)
        for p in inst.participants
        if inst.meetings_of[p.id]
    }


def _score(state: LnsState) -> tuple[int, int]:
    inst = state.instance
    weight = sum(inst.meetings[m].priority for m in state.slot_of)
    breaks = sum(state.breaks_of(p.id) for p in inst.participants)
    return weight, breaks


def _best_start(instance: MeetingInstance, seed: int) -> dict[int, int]:
    """The better of the participant greedy and the time sweep (``objective.py``'s order)."""
    candidates = [
        greedy_schedule(instance, start=instance.published_slots),
        sweep_schedule(instance, random.Random(seed), start=instance.published_slots),
    ]
    return min(candidates, key=lambda plan: evaluate(instance, plan))


def heuristic_schedule(
    instance: MeetingInstance,
    seed: int,
    deadline: float,
    should_stop: Callable[[], bool],
    restarts: bool = True,
) -> dict[int, int]:
    """Multi-start: the better of the greedy and the sweep, then randomised sweeps, each
    improved by local search, until ``deadline``; the best by ``objective.evaluate``.

    Sweeps differ only in tie-breaking, yet their local optima differ by a few meetings and
    5-10% of the breaks on generated events, more than the neighbourhood search gains in the
    same time (docs/benchmarks/meetings.md).
    """
    movable = _walkable(instance)
    best: dict[int, int] | None = None
    best_score = None
    ideal = ideal_score(instance)
    attempt = 0
    while True:
        began = time.perf_counter()
        if attempt == 0:
            first = _best_start(instance, seed)
        else:
            first = sweep_schedule(
                instance, random.Random(seed + attempt), start=instance.published_slots
            )
        search = LocalSearch(instance, first, movable, seed=seed + attempt)
        search.run(deadline, should_stop=should_stop)
        score = evaluate(instance, search.slot_of)
        if best_score is None or score < best_score:
            best, best_score = dict(search.slot_of), score
        attempt += 1
        # Another restart only if one as long as the last fits in the time left, and only
        # if this one can still be beaten.
        if not restarts or should_stop() or 2 * time.perf_counter() - began >= deadline:
            break
        if best_score == ideal:
            break
    assert best is not None
    return best


def solve_large(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    started: float,
) -> MeetingResult:
    deadline = started + options.time_limit_s
    reserve = _reserve(instance)
    should_stop = lambda: cancel is not None and cancel.is_set()  # noqa: E731
    proof = _prove_small(instance, options)
    if proof is not None:
        return build_result(
            instance, Status.OPTIMAL, proof, time.perf_counter() - started, solver="greedy+lns"
        )
    weight_bound: int | None = None
    start_plan: dict[int, int] | None = None
    if options.allow_unscheduled is not False:
        # Meetings may be left out: the placement relaxation (bounds.py) proves an upper
        # bound on the placeable priority weight, and when it leaves meetings out its choice
        # guides the schedule: placing its meetings first reached 99.8% of the bound on an
        # oversubscribed event where placing by priority alone reached 89%.
        weight_bound, chosen = relaxation(
            instance, min(10.0, 0.15 * options.time_limit_s), options.workers, cancel
        )
        placeable = sum(1 for slots in instance.allowed_slots if slots)
        if chosen and len(chosen) < placeable:
            guided = _sub_instance(instance, chosen)
            guided_plan = heuristic_schedule(
                guided, options.seed, started + 0.45 * options.time_limit_s, should_stop
            )
            first = {
                instance.meeting_index[guided.meetings[m].id]: s for m, s in guided_plan.items()
            }
            movable = _walkable(instance)
            search = LocalSearch(instance, first, movable, seed=options.seed)
            search.run(started + 0.6 * options.time_limit_s, should_stop=should_stop)
            start_plan = search.slot_of
    probe: ZeroBreakProbe | None = None
    if start_plan is None:
        # Every meeting to place (strict, or the relaxation keeps them all): a SAT search
        # for a schedule without breaks runs in a child process on the core the annealing
        # leaves idle; the search below stops when it finds one.
        probe = ZeroBreakProbe.start(instance, deadline - reserve)
    try:
        return _search(
            instance, options, progress, cancel, started, weight_bound, start_plan, probe
        )
    finally:
        if probe is not None:
            probe.stop()


def _search(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    started: float,
    weight_bound: int | None,
    start_plan: dict[int, int] | None,
    probe: ZeroBreakProbe | None,
) -> MeetingResult:
    """Restarts, annealing and neighbourhoods from ``start_plan`` (or from scratch), until
    the deadline, a proof, or ``probe`` finding a schedule without breaks."""
    # Once the annealing has a schedule worth following, guided SAT searches keep the runs
    # of everyone without a break there: 2-10 times faster to a schedule without breaks on
    # the tight family when the guess is close (docs/benchmarks/meetings.md).
    probes = [probe] if probe is not None else []
    annealing: list[LocalSearch] = []
    limit = options.time_limit_s
    pending = list(GUIDED)
    if probe is None or len(probe.problem.ends) > FOLLOW_MAX_MEETINGS:
        pending = []

    def zero_break() -> dict[int, int] | None:
        return next((p.slots for p in probes if p.slots is not None), None)

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    def should_stop() -> bool:
        # Called every few thousand steps of the search, so the guided searches start here.
        if pending and annealing and time.perf_counter() >= started + pending[0][0] * limit:
            _share, seed = pending.pop(0)
            first = probes[0]
            if first.infeasible:
                pending.clear()  # proven: no schedule without breaks to look for
            elif zero_break() is None:
                first.stop()  # its core goes to the guided searches (a no-op once stopped)
                probes.append(first.follow(annealing[0].slot_of, seed))
            if not pending and len(probes) > 1:
                # Two SAT children and the annealing on 2 cores slowed the guided search
                # past the limit: the annealing waits (its schedule stays the fallback).
                followers = probes[1:]
                until = started + FOLLOW_UNTIL * limit
                while time.perf_counter() < until and not cancelled():
                    running = [f for f in followers if not f.done.is_set()]
                    if zero_break() is not None or not running:
                        break
                    running[0].done.wait(0.1)
        return cancelled() or zero_break() is not None

    try:
        return _search_on(
            instance,
            options,
            progress,
            started,
            weight_bound,
            start_plan,
            should_stop,
            zero_break,
            annealing,
        )
    finally:
        for follower in probes[1:]:
            follower.stop()


def _search_on(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    started: float,
    weight_bound: int | None,
    start_plan: dict[int, int] | None,
    should_stop: Callable[[], bool],
    zero_break: Callable[[], dict[int, int] | None],
    annealing: list[LocalSearch],
) -> MeetingResult:
    """:func:`_search`'s work; ``annealing`` receives the local search once it exists, and
    ``zero_break`` gives the SAT searches' schedule without breaks once one is found."""
    deadline = started + options.time_limit_s
    reserve = _reserve(instance)

    if start_plan is None:
        # A few restarts, then Kempe-chain annealing, which places what the restarts strand
        # on tight events and cuts breaks, then neighbourhoods (measured,
        # docs/benchmarks/meetings.md).
        first = heuristic_schedule(
            instance, options.seed, started + KEMPE_FROM * options.time_limit_s, should_stop
        )
        movable = _walkable(instance)
        search = LocalSearch(instance, first, movable, seed=options.seed)
        annealing.append(search)
        use_span = options.allow_unscheduled is False and options.span_walk
        until = SPAN_FROM if use_span else EJECT_FROM
        search.kempe_anneal(started + until * options.time_limit_s, should_stop)
        if not use_span:
            _walk(
                search,
                movable,
                started + KEMPE_UNTIL * options.time_limit_s,
                deadline - reserve,
                should_stop,
            )
        start_plan = search.slot_of
        if use_span:
            start_plan = _span_then_anneal(
                instance, start_plan, movable, options, started, should_stop
            )
    state = LnsState(instance, start_plan)
    if progress is not None:
        progress(Progress(float(_score(state)[1]), None, time.perf_counter() - started))
    rng = random.Random(options.seed)
    size = 40
    rounds = 0
    weights: dict[str, float] = {}
    last_report = time.perf_counter()
    ideal = ideal_score(instance, weight_bound)
    small = _movable_count(instance) <= SMALL_EVENT_MEETINGS
    proven = False
    strict = options.allow_unscheduled is False
    # Strict solves with meetings still unplaced: neighbourhoods around them, growing while
    # they fail (MISSING_SIZES), before anything else; then around anyone above their break
    # limit (where nothing else places a stranded meeting, strict solves place it above).
    failures = 0
    # The last schedule within every limit, kept while the current one is not; those whose
    # excess the largest neighbourhood did not mend (fixed meetings may force it) are left.
    fair: dict[int, int] | None = None
    given_up: set[str] = set()
    while time.perf_counter() < deadline - reserve:
        if should_stop():
            break
        if rounds % 20 == 0:
            if evaluate(instance, state.slot_of) == ideal:
                break  # nothing left to gain: the schedule is optimal
            weights = _seed_weights(state)
        over = _over_limit(instance, state.slot_of)
        if not over:
            fair = None
        unplaced = _unplaced_movable(state) if strict else []
        missing = bool(unplaced)
        mending = [pid for pid in over if pid not in given_up] if not missing else []
        target = rng.choice(mending) if mending else None
        limit_s = 1.0
        if missing or target is not None:
            size_now, limit_s = MISSING_SIZES[min(failures, len(MISSING_SIZES) - 1)]
            if target is None:
                group = _missing_neighbourhood(rng, state, unplaced, size_now)
            else:
                group = _excess_neighbourhood(rng, state, target, size_now)
        elif rounds % 20 == 0 and small:
            # A small event is one neighbourhood now and then: its proof ends the search.
            group = set(range(len(instance.meetings)))
        elif rounds % 2:
            group = _window_neighbourhood(rng, state, 6 * size, weights)
        else:
            group = _neighbourhood(rng, state, size, weights)
        # A stranded meeting is placed within the fairness limits where the neighbourhood
        # allows it, and above them (strict solves) only where it does not.
        sub = NeighbourhoodModel(state, group, placement_first=strict and not missing)
        left = deadline - reserve - time.perf_counter()
        score_before = evaluate(instance, state.slot_of) if missing or target is not None else None
        changes = sub.solve(min(limit_s, left), options.workers, options.seed + rounds)
        if missing and strict and not _places_more(state, changes):
            sub = NeighbourhoodModel(state, group, placement_first=True)
            left = deadline - reserve - time.perf_counter()
            changes = sub.solve(min(limit_s, left), options.workers, options.seed + rounds)
        if changes is not None:
            before = dict(state.slot_of) if missing and not over else None
            state.apply(changes)
            if before is not None and _over_limit(instance, state.slot_of):
                fair = before
        if score_before is not None:
            score = evaluate(instance, state.slot_of)
            if missing:
                gained = score.unscheduled_priority < score_before.unscheduled_priority
            else:
                gained = score.excess < score_before.excess
                if not gained and failures >= len(MISSING_SIZES) - 1 and target is not None:
                    given_up.add(target)
            failures = 0 if gained else failures + 1
        rounds += 1
        if sub.proven and sub.covers_everything and _proof_counts(instance, state, options):
            proven = True
            break
        due = time.perf_counter() - last_report >= options.progress_interval_s
        if progress is not None and due:
            last_report = time.perf_counter()
            _weight, breaks = _score(state)
            progress(Progress(float(breaks), None, time.perf_counter() - started))
    solver, bound = "greedy+lns", None
    found = zero_break()
    # No breaks and every meeting placed: nothing scores better (checked all the same).
    if found is not None and evaluate(instance, found) <= evaluate(instance, state.slot_of):
        state, solver, bound = LnsState(instance, found), "greedy+lns+sat", 0.0
    result = _result(instance, options, state, proven, ideal, solver, bound, started)
    if any(v.kind == "fairness" for v in validate(instance, result)):
        # Never a schedule above a fairness limit: the better of the last one within every
        # limit and this one with meetings taken out of the days above their limit (any but
        # the fixed and pinned ones; ordered ones may go).
        repaired = LocalSearch(instance, state.slot_of, _walkable(instance), seed=options.seed)
        repaired.repair_fairness()
        plans = [repaired.slot_of] + ([fair] if fair is not None else [])
        state = LnsState(instance, min(plans, key=lambda plan: evaluate(instance, plan)))
        result = _result(instance, options, state, False, ideal, solver, None, started)
    return dataclasses.replace(result, weight_bound=weight_bound)


def _result(
    instance: MeetingInstance,
    options: SolveOptions,
    state: LnsState,
    proven: bool,
    ideal: Score,
    solver: str,
    bound: float | None,
    started: float,
) -> MeetingResult:
    """The large path's result for ``state``: strict mode without a full schedule gives status
    unknown (nothing proves there is none) with the best partial schedule found rather than
    nothing; a proof or the ideal score gives optimal."""
    plan = {instance.meetings[m].id: s for m, s in state.slot_of.items()}
    complete = len(plan) == len(instance.meetings)
    status = Status.UNKNOWN if not complete and options.allow_unscheduled is False else None
    if status is None and (proven or evaluate(instance, state.slot_of) == ideal):
        status = Status.OPTIMAL
    seconds = time.perf_counter() - started
    return build_result(
        instance, status or Status.FEASIBLE, plan, seconds, bound=bound, solver=solver
    )


def _walk(
    search: LocalSearch,
    movable: set[int],
    until: float,
    end: float,
    should_stop: Callable[[], bool],
) -> None:
    """The ejection walk: to ``end`` when it may take the neighbourhoods' share
    (:func:`_walk_to_the_end`), else to ``until``, or until it places the last meeting and
    then on to ``end``, keeping a worse sequence with the probability a walk to ``end`` would
    have there."""
    if _walk_to_the_end(search, movable):
        search.eject_walk(end, should_stop)
        return
    began = time.perf_counter()
    search.eject_walk(until, lambda: should_stop() or _walk_to_the_end(search, movable))
    now = time.perf_counter()
    if now < until and _walk_to_the_end(search, movable) and not should_stop():
        search.eject_walk(end, should_stop, EJECT_WORSE * (end - now) / max(1e-6, end - began))


def _walk_to_the_end(search: LocalSearch, movable: set[int]) -> bool:
    """Whether the ejection walk takes the neighbourhoods' share of the budget too: once
    every meeting is placed on an event above SMALL_EVENT_MEETINGS, where they gained
    nothing after the walk (tight hosted-buyer events of 3,000 participants: the same breaks
    before and after, docs/benchmarks/meetings.md). Meetings still out keep them: they place
    the last ones at 10,000."""
    placed = all(m in search.slot_of for m in movable)
    return placed and len(movable) > SMALL_EVENT_MEETINGS


def _reserve(instance: MeetingInstance) -> float:
    """Seconds kept for tables, explanations and the result (a few at 3,000 participants)."""
    return 0.5 + 0.0002 * len(instance.meetings)


def _prove_small(instance: MeetingInstance, options: SolveOptions) -> dict[str, int] | None:
    """A small event (at most ``SMALL_EVENT_MEETINGS`` movable meetings) as one
    neighbourhood from the best start, for a tenth of the budget (at most 2 s): the
    schedule when CP-SAT proves it optimal, else None and the usual path runs."""
    if _movable_count(instance) > SMALL_EVENT_MEETINGS:
        return None
    state = LnsState(instance, _best_start(instance, options.seed))
    whole = NeighbourhoodModel(state, set(range(len(instance.meetings))))
    changes = whole.solve(min(2.0, 0.1 * options.time_limit_s), options.workers, options.seed)
    if changes is None or not whole.proven:
        return None
    state.apply(changes)
    if not _proof_counts(instance, state, options):
        return None
    return {instance.meetings[m].id: s for m, s in state.slot_of.items()}


def _movable_count(instance: MeetingInstance) -> int:
    return len(instance.meetings) - len(_frozen_meetings(instance))


def _proof_counts(instance: MeetingInstance, state: LnsState, options: SolveOptions) -> bool:
    """Whether a proven-optimal whole-event neighbourhood settles the solve: not in strict
    mode when it leaves a meeting out (fairness comes first in that order, so that is no
    proof that no full schedule exists; the search goes on for one)."""
    return options.allow_unscheduled is not False or len(state.slot_of) == len(instance.meetings)


def _span_then_anneal(
    instance: MeetingInstance,
    plan: dict[int, int],
    movable: set[int],
    options: SolveOptions,
    started: float,
    should_stop: Callable[[], bool],
) -> dict[int, int]:
    """The span walk shortens everyone's day (fewer idle slots, perhaps more breaks), then
    annealing from where it ended turns that into fewer breaks; the better of that and the
    best plan the walk met (never worse than ``plan``)."""
    limit = options.time_limit_s
    walk = span_walk(
        instance,
        plan,
        movable,
        started + SPAN_UNTIL * limit,
        options.workers,
        options.seed,
        should_stop,
    )
    search = LocalSearch(instance, walk.current, movable, seed=options.seed + 1)
    search.kempe_anneal(started + KEMPE_UNTIL * limit, should_stop)
    return min(walk.best, dict(search.slot_of), key=lambda p: evaluate(instance, p))


def repair(
    instance: MeetingInstance,
    options: SolveOptions,
    cancel: threading.Event | None,
    started: float,
    max_changes: int = 10,
) -> MeetingResult | None:
    """On the day: a re-solve after a few changes keeps the published schedule and
    re-optimises only around them, in a fraction of a second.

    Every published meeting keeps its slot; each meeting without one (a late request, or one
    whose published slot is no longer allowed, or one the published schedule left out and
    that a cancellation may let in) is placed by a neighbourhood of its two participants and
    everyone they meet, where the usual order applies (a meeting placed outweighs any number
    of moves, a move any number of breaks). None when there are more than ``max_changes``
    such meetings (the full re-solve then runs).
    """
    inst = instance
    published = inst.published_slots
    fresh = [m for m in range(len(inst.meetings)) if m not in published]
    if not published or len(fresh) > max_changes:
        return None
    state = LnsState(inst, published)
    seeds = [set(inst.meetings[m].participants) for m in fresh if inst.allowed_slots[m]]
    deadline = started + 0.8 * options.time_limit_s
    for k, people in enumerate(seeds):
        if cancel is not None and cancel.is_set():
            break
        partners = {
            q for p in people for m in inst.meetings_of[p] for q in inst.meetings[m].participants
        }
        free = {m for p in partners for m in inst.meetings_of[p]}
        left = (deadline - time.perf_counter()) / (len(seeds) - k)
        changes = NeighbourhoodModel(state, free).solve(
            max(0.05, left), options.workers, options.seed + k
        )
        if changes is not None:
            state.apply(changes)
    plan = {inst.meetings[m].id: s for m, s in state.slot_of.items()}
    return build_result(inst, Status.FEASIBLE, plan, time.perf_counter() - started, solver="repair")


def _sub_instance(instance: MeetingInstance, chosen: frozenset[int]) -> MeetingInstance:
    """The event with only the ``chosen`` meetings (precedences among them kept)."""
    ids = {instance.meetings[m].id for m in chosen}
    return dataclasses.replace(
        instance,
        meetings=tuple(instance.meetings[m] for m in sorted(chosen)),
        precedences=tuple((a, b) for a, b in instance.precedences if a in ids and b in ids),
        pinned=frozenset(mid for mid in instance.pinned if mid in ids),
    )
