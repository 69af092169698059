"""Kempe chains in the local search: placing meetings that no single move can place, and
annealing over chains, always keeping the schedule valid."""

from __future__ import annotations

import dataclasses
import itertools
import random
import time
from collections.abc import Callable

import pytest

from benchkit.meetings.generator import generate_event
from benchkit.meetings.hosted_buyer import generate_hosted_buyer
from scheduler.meetings import (
    DayPart,
    MeetingInstance,
    SolveOptions,
    Status,
    Table,
    solve,
    validate,
)
from scheduler.meetings.instance import Placement
from scheduler.meetings.large_event import (
    SMALL_EVENT_MEETINGS,
    _frozen_meetings,
    _walk,
    _walk_to_the_end,
    polish,
)
from scheduler.meetings.local_search import EJECT_WORSE, LocalSearch, _Pool
from scheduler.meetings.objective import evaluate
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.sweep import sweep_schedule

from .conftest import MakeInstance


def _soon(seconds: float) -> float:
    return time.perf_counter() + seconds


def _after_calls(calls: int) -> Callable[[], bool]:
    """A ``should_stop`` that says stop from its ``calls``-th call on."""
    count = itertools.count(1)
    return lambda: next(count) >= calls


def _errors(instance: MeetingInstance, plan: dict[int, int], **kwargs: bool) -> list[str]:
    slots = {instance.meetings[m].id: s for m, s in plan.items()}
    return validate(instance, build_result(instance, Status.FEASIBLE, slots, 0.0), **kwargs)


def _chain_only(make_instance: MakeInstance, **kwargs: object) -> MeetingInstance:
    # m4 = a-b fits only in slot 0, where b meets c (m2). Moving m2 to slot 1 needs c's
    # meeting there (m3, with d) to go back to slot 0: a chain of two. Neither a single move
    # nor one ejection does it, since e can only meet in slot 1.
    return make_instance(
        [("a", "e"), ("b", "c"), ("c", "d"), ("a", "b")],
        n_slots=2,
        forbidden={"e": {0}},
        **kwargs,
    )


def test_kempe_insertion_places_what_no_single_move_can(make_instance: MakeInstance) -> None:
    inst = _chain_only(make_instance)
    plan = {0: 1, 1: 0, 2: 1}
    search = LocalSearch(inst, plan, set(range(4)))
    assert search.insert_unplaced() == 0 and search.insert_with_ejection() == 0
    # Past its deadline it tries nothing (a call with hundreds of meetings out can take
    # seconds, and the solve's limit comes first).
    assert search.kempe_insert(deadline=time.perf_counter()) == 0
    assert search.slot_of == plan
    assert search.kempe_insert() == 1
    assert len(search.slot_of) == 4
    assert _errors(inst, search.slot_of, require_all=True) == []


def test_kempe_chains_never_move_a_fixed_meeting(make_instance: MakeInstance) -> None:
    inst = _chain_only(make_instance, fixed={3: 1})  # m3 (c-d) fixed to slot 1
    search = LocalSearch(inst, {0: 1, 1: 0, 2: 1}, set(range(4)))
    assert search.kempe_insert() == 0
    assert search.slot_of[2] == 1 and 3 not in search.slot_of


def test_kempe_chains_respect_the_shared_tables(make_instance: MakeInstance) -> None:
    # One table: slot 0 would hold two meetings after the chain.
    inst = _chain_only(make_instance, tables=1, online=(1,))
    search = LocalSearch(inst, {0: 1, 1: 0, 2: 1}, set(range(4)))
    assert search.kempe_insert() == 0
    assert _errors(inst, search.slot_of) == []
    assert search.shared_used == [1, 1]


def test_annealing_keeps_every_constraint(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e"), ("a", "e"), ("b", "e")],
        n_slots=5,
        n_morning=2,
        tables=(Table("T1"), Table("T2"), Table("B", reserved_for="d")),
        forbidden={"b": {0}},
        caps={"a": 2},
        day_parts={4: DayPart.MORNING},
        fixed={5: 4},
        precedences=(("m1", "m3"),),
    )
    plan = sweep_schedule(inst, random.Random(0))
    movable = set(range(len(inst.meetings))) - {0, 2}  # precedences stay put
    search = LocalSearch(inst, plan, movable, seed=3)
    before = evaluate(inst, search.slot_of)
    search.kempe_anneal(_soon(0.3))
    assert _errors(inst, search.slot_of) == []
    assert evaluate(inst, search.slot_of) <= before
    assert search.slot_of[inst.meeting_index["m5"]] == 4


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("method", ["kempe_anneal", "eject_walk"])
def test_annealing_and_ejection_chains_on_generated_and_hosted_events(
    seed: int, method: str
) -> None:
    for inst in (generate_event(120, seed=seed), generate_hosted_buyer(60, seed=seed).instance):
        plan = sweep_schedule(inst, random.Random(seed))
        search = LocalSearch(inst, plan, set(range(len(inst.meetings))), seed=seed)
        before = evaluate(inst, search.slot_of)
        getattr(search, method)(_soon(0.4))
        # The sweep's start may exceed the fairness bound; chains never add excess, and
        # the score (excess first) never gets worse.
        assert _errors(inst, search.slot_of, check_fairness=False) == []
        assert evaluate(inst, search.slot_of) <= before
        # The busy bits the walk scores from stay those of the schedule.
        assert search.mask == {p: sum(1 << s for s in busy) for p, busy in search.busy.items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ordered_meetings_move_only_to_slots_that_keep_their_order(seed: int) -> None:
    """A generated event with a fifth of its meetings ordered as the sweep placed them:
    every move of the local search (passes, annealing, walk, insertion of meetings taken
    out) keeps each precedence, and ordered meetings do move."""
    base = generate_event(120, seed=seed)
    plan = sweep_schedule(base, random.Random(seed))
    rng = random.Random(seed)
    placed = sorted(plan)
    pairs = set()
    for _ in range(len(placed) // 5):
        a, b = rng.sample(placed, 2)
        if plan[a] != plan[b]:
            pairs.add((a, b) if plan[a] < plan[b] else (b, a))
    ids = [meeting.id for meeting in base.meetings]
    inst = dataclasses.replace(base, precedences=tuple((ids[a], ids[b]) for a, b in pairs))
    ordered = {m for pair in pairs for m in pair}
    moved = set()
    start = {m: s for m, s in plan.items() if m % 7}  # a few taken out, to be put back
    for method in ("run", "kempe_anneal", "eject_walk"):
        search = LocalSearch(inst, start, set(range(len(inst.meetings))), seed=seed)
        # A fixed amount of work, not of time (a busy machine must not leave it undone):
        # three looks at the clock, each after 2,000 annealing steps, 200 walk sequences
        # or one round of passes.
        getattr(search, method)(_soon(600), _after_calls(3))
        search.kempe_insert()
        search.insert_with_ejection()
        search.insert_unplaced()
        assert _errors(inst, search.slot_of, check_fairness=False) == []
        now = search.slot_of
        moved |= {m for m in ordered & start.keys() if now.get(m) not in (None, start[m])}
    assert moved


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_tight_hosted_event_is_placed_in_full_in_strict_mode(seed: int) -> None:
    """50 participants on the heuristic path (the exact model is kept out): every meeting
    placed, the validator accepts it, few breaks where a 0-break schedule exists."""
    inst = generate_hosted_buyer(50, seed=seed).instance
    # It runs to its limit (breaks are not proven here); at 0.2 s it still places every
    # meeting with at most 9 breaks on these seeds, so 2 s leaves room for a busy machine.
    options = SolveOptions(
        time_limit_s=2, workers=1, seed=seed, allow_unscheduled=False, strict_exact_pairs=0
    )
    result = solve(inst, options)
    # Optimal when the whole-event neighbourhood proves it (small events are tried so).
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert len(result.assignments) == len(inst.meetings)
    assert validate(inst, result, require_all=True) == []
    assert result.objective is not None and result.objective <= len(inst.participants) // 5


def test_a_waiting_meeting_takes_the_slot_of_a_less_important_one(
    make_instance: MakeInstance,
) -> None:
    inst = make_instance([("a", "b"), ("a", "c")], n_slots=1, priorities={2: 2})
    search = LocalSearch(inst, {0: 0}, {0, 1})
    assert search.eject_step() == 1
    assert search.slot_of == {1: 0}
    assert _errors(inst, search.slot_of) == []
    # Never the other way round: the more important meeting keeps its slot.
    assert search.eject_step() == 0 and search.slot_of == {1: 0}


def _shiftable(make_instance: MakeInstance, **kwargs: object) -> MeetingInstance:
    # v meets h1 in slot 0 and h2 in slot 2: a break. Shifting either run into slot 1 closes
    # it, through w's meeting with h1 (a chain) for the first.
    return make_instance([("v", "h1"), ("v", "h2"), ("w", "h1")], n_slots=3, **kwargs)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_block_shift_closes_a_break_through_chains(
    make_instance: MakeInstance, seed: int
) -> None:
    inst = _shiftable(make_instance)
    search = LocalSearch(inst, {0: 0, 1: 2, 2: 1}, set(range(3)), seed=seed)
    assert search.shift_step("v", temperature=1e-9)
    assert _errors(inst, search.slot_of, require_all=True) == []
    assert evaluate(inst, search.slot_of).breaks == 0


def test_a_block_shift_never_moves_a_fixed_meeting(make_instance: MakeInstance) -> None:
    inst = _shiftable(make_instance, fixed={1: 0, 2: 2})
    plan = {0: 0, 1: 2, 2: 1}
    search = LocalSearch(inst, plan, {2}, seed=0)
    assert not search.shift_step("v", temperature=1e-9)
    assert search.slot_of == plan


def _two_links(make_instance: MakeInstance, **kwargs: object) -> MeetingInstance:
    # v meets h1 in slot 0 and h2 in slot 2 (a break); h2 cannot meet in slot 1. Moving
    # v-h1 to slot 1 takes w-h1 back to slot 0 and gives w the break (0 saved); w-h3 to
    # slot 1 then mends w: two links of one sequence, no single chain saves anything.
    return make_instance(
        [("v", "h1"), ("v", "h2"), ("w", "h1"), ("w", "h3")],
        n_slots=3,
        forbidden={"h2": {1}},
        **kwargs,
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_ejection_sequence_mends_the_break_it_passes_on(
    make_instance: MakeInstance, seed: int
) -> None:
    inst = _two_links(make_instance)
    search = LocalSearch(inst, {0: 0, 1: 2, 2: 1, 3: 2}, set(range(4)), seed=seed)
    assert evaluate(inst, search.slot_of).breaks == 1
    assert search.eject_sequence("v") == -1
    assert _errors(inst, search.slot_of, require_all=True) == []
    assert evaluate(inst, search.slot_of).breaks == 0


def test_the_walk_stops_once_nobody_has_a_break(make_instance: MakeInstance) -> None:
    """The sequence that mends the last break ends the walk at once, whatever the time
    left (there is nobody left to start a sequence from)."""
    inst = _two_links(make_instance)
    search = LocalSearch(inst, {0: 0, 1: 2, 2: 1, 3: 2}, set(range(4)), seed=0)
    assert search.eject_walk(_soon(600)) == 1
    assert evaluate(inst, search.slot_of).breaks == 0
    assert _errors(inst, search.slot_of, require_all=True) == []


def test_polish_walks_a_schedule_to_fewer_breaks_and_keeps_ordered_meetings_in_order(
    make_instance: MakeInstance,
) -> None:
    """What the exact path's stand-in runs in a search's last seconds: the walk from a given
    schedule, here to no break at all; ordered meetings move, but only where their order
    holds."""
    inst = _two_links(make_instance)
    start = {0: 0, 1: 2, 2: 1, 3: 2}
    plan = polish(inst, start, 0, _soon(600), lambda: False)
    assert evaluate(inst, plan).breaks == 0
    assert _errors(inst, plan, require_all=True) == []
    # v-h1 before v-h2: the mend moves v-h1 to slot 1, still before v-h2 in slot 2.
    ordered = _two_links(make_instance, precedences=(("m1", "m2"),))
    assert _frozen_meetings(ordered) == {0, 1}  # the CP-SAT neighbourhoods never free them
    plan = polish(ordered, start, 0, _soon(600), lambda: False)
    assert evaluate(ordered, plan).breaks == 0
    assert _errors(ordered, plan, require_all=True) == []
    # v-h1 before w-h1: the only mend swaps those two, so the break stays where it was.
    blocked = _two_links(make_instance, precedences=(("m1", "m3"),))
    plan = polish(blocked, start, 0, _soon(0.2), lambda: False)
    assert plan[0] < plan[2]
    assert _errors(blocked, plan, require_all=True) == []
    assert evaluate(blocked, plan).breaks == 1


def test_an_ejection_sequence_never_moves_a_fixed_meeting(make_instance: MakeInstance) -> None:
    inst = _two_links(make_instance, fixed={3: 1})  # w-h1 fixed to slot 1
    plan = {0: 0, 1: 2, 2: 1, 3: 2}
    search = LocalSearch(inst, plan, {0, 1, 3}, seed=0)
    assert search.eject_sequence("v") == 0
    assert search.slot_of == plan


def test_the_walk_takes_the_neighbourhoods_time_only_with_every_meeting_placed() -> None:
    event = generate_hosted_buyer(300, seed=0)
    inst = event.instance
    movable = set(range(len(inst.meetings))) - _frozen_meetings(inst)
    assert len(movable) > SMALL_EVENT_MEETINGS
    planted = {inst.meeting_index[m]: s for m, s in event.planted.items()}
    everything = LocalSearch(inst, planted, movable)
    assert _walk_to_the_end(everything, movable)
    one_out = dict(everything.slot_of)
    del one_out[min(movable)]
    # A meeting still out keeps the neighbourhoods, which place the last ones.
    assert not _walk_to_the_end(LocalSearch(inst, one_out, movable), movable)
    # So does a small event, tried as one neighbourhood for a proof.
    few = set(sorted(movable)[:SMALL_EVENT_MEETINGS])
    assert not _walk_to_the_end(everything, few)


def test_the_walk_ends_on_the_best_schedule_whatever_the_insertions_did(
    make_instance: MakeInstance,
) -> None:
    """The insertions run while a meeting is out change the schedule outside the
    sequences' tally; the walk still ends on the best schedule it met."""
    inst = make_instance([("a", "b"), ("a", "c"), ("d", "e")], n_slots=3)
    search = LocalSearch(inst, {0: 0, 1: 1}, {0, 1, 2}, seed=0)
    before = evaluate(inst, search.slot_of)
    assert before.breaks == 0 and before.unscheduled_priority == 1

    def hole_walk_giving_a_break() -> int:
        # Stands in for a hole walk that costs a break: a-c from slot 1 to slot 2.
        if search.slot_of.get(1) == 1:
            search._release(1)
            search._occupy(1, 2)
        return 0

    search.kempe_insert = lambda deadline=None: 0  # type: ignore[method-assign]
    search.insert_unplaced = lambda: 0  # type: ignore[method-assign]
    search.eject_step = hole_walk_giving_a_break  # type: ignore[method-assign]
    search.eject_sequence = lambda pid, worse=0.0, touched=None: 0  # type: ignore[method-assign]
    search.eject_walk(_soon(0.05))
    assert search.slot_of == {0: 0, 1: 1}
    assert evaluate(inst, search.slot_of) == before


@pytest.mark.parametrize("seed", [0, 1])
def test_a_chain_is_scored_without_moving_as_if_it_were_swapped(seed: int) -> None:
    """``_chain_scores`` (ends' excess, moves, breaks; tables) equals swapping the chain
    and scoring the two ends, on a hosted event (shared tables) and a re-solve (moves)."""
    hosted = generate_hosted_buyer(120, seed=seed).instance
    event = generate_event(120, seed=seed)
    rng = random.Random(seed)
    base = sweep_schedule(event, rng)
    previous = {event.meetings[m].id: Placement(s) for m, s in base.items() if rng.random() < 0.5}
    resolve = dataclasses.replace(event, previous=previous)
    assert resolve.published_slots
    checked = moves_change = full = 0
    for inst in (hosted, resolve):
        search = LocalSearch(inst, sweep_schedule(inst, rng), set(range(len(inst.meetings))))
        for _ in range(3_000):
            pid = rng.choice(inst.participants).id
            busy = search.busy[pid]
            free = [x for x in range(inst.n_slots) if x not in busy]
            if not busy or not free:
                continue
            s, t = rng.choice(list(busy)), rng.choice(free)
            chain = search._chain(pid, s, t)
            if not chain:
                continue
            plan = dict(search.slot_of)
            before, after, fits, end = search._chain_scores(pid, chain, s, t)
            assert end == search._path_end(pid, chain) != pid
            group = {pid, end}
            assert before == search._people_score(group, chain)
            search._swap(chain, s, t)
            assert (after, fits) == (search._people_score(group, chain), search._tables_ok(s, t))
            search._swap(chain, t, s)
            assert search.slot_of == plan
            checked += 1
            moves_change += before[1] != after[1]
            full += not fits
    # Enough chains, some of them changing the moves or overfilling the tables.
    assert checked > 1_000 and moves_change and full


@pytest.mark.parametrize("placed_by_the_walk", [True, False])
def test_the_walk_goes_on_to_the_end_once_it_places_the_last_meeting(
    placed_by_the_walk: bool,
) -> None:
    event = generate_hosted_buyer(300, seed=0)
    inst = event.instance
    movable = set(range(len(inst.meetings))) - _frozen_meetings(inst)
    planted = {inst.meeting_index[m]: s for m, s in event.planted.items()}
    missing = min(movable)
    search = LocalSearch(inst, {m: s for m, s in planted.items() if m != missing}, movable)
    calls: list[tuple[float, float]] = []

    def walk(
        deadline: float,
        should_stop: Callable[[], bool] | None = None,
        worse_from: float = EJECT_WORSE,
    ) -> int:
        # Stands in for the walk: the first places the meeting out (or not), and its stop
        # condition sees it.
        calls.append((deadline, worse_from))
        if len(calls) == 1:
            assert should_stop is not None and not should_stop()
            if placed_by_the_walk:
                search._occupy(missing, planted[missing])
                assert should_stop()
        return 0

    search.eject_walk = walk  # type: ignore[method-assign]
    now = time.perf_counter()
    until, end = now + 1_000, now + 2_000
    _walk(search, movable, until, end, lambda: False)
    if placed_by_the_walk:
        assert [deadline for deadline, _worse in calls] == [until, end]
        assert calls[0][1] == EJECT_WORSE and 0 < calls[1][1] < EJECT_WORSE
    else:
        # A meeting still out leaves the rest of the budget to the neighbourhoods.
        assert calls == [(until, EJECT_WORSE)]


def test_an_ejection_sequence_names_everyone_whose_day_it_changed() -> None:
    """The walk re-checks only the people a sequence names for breaks, so it must name
    everyone whose busy slots it changed."""
    inst = generate_hosted_buyer(300, seed=1).instance
    rng = random.Random(1)
    search = LocalSearch(inst, sweep_schedule(inst, rng), set(range(len(inst.meetings))), seed=1)
    people = [p.id for p in inst.participants]
    changed_days = far_ends = 0
    for _ in range(1_500):
        broken = search._broken(people)
        if not broken:
            break
        pid = rng.choice(broken)
        days = {p: set(search.busy[p]) for p in people}
        touched: list[str] = []
        search.eject_sequence(pid, worse=0.5, touched=touched)
        changed = {p for p in people if set(search.busy[p]) != days[p]}
        assert changed <= set(touched)
        changed_days += bool(changed)
        far_ends += bool(changed - {pid})
    assert changed_days > 100 and far_ends > 100


def test_the_pool_of_people_with_a_break_follows_every_update() -> None:
    rng = random.Random(0)
    names = [f"p{i}" for i in range(40)]
    members = set(names[:10])
    pool = _Pool(names[:10])
    for _ in range(5_000):
        person, member = rng.choice(names), rng.random() < 0.5
        pool.update(person, member)
        if member:
            members.add(person)
        else:
            members.discard(person)
        assert sorted(pool.items) == sorted(members)
    drawn = {pool.draw(i / len(pool.items)) for i in range(len(pool.items))}
    assert drawn == members


def test_a_chain_starts_only_where_its_person_is_free_in_the_other_slot(
    make_instance: MakeInstance,
) -> None:
    """From someone busy in both slots the path runs on through their other meeting, so
    moving only one side of it would book them twice."""
    inst = make_instance([("p", "a"), ("p", "b")], n_slots=2)
    search = LocalSearch(inst, {0: 0, 1: 1}, {0, 1})
    assert search._chain("p", 0, 1) is None
    # From an end the whole path moves: p's two meetings exchange slots.
    assert search._chain("a", 0, 1) == [0, 1]
    search._swap([0, 1], 0, 1)
    assert search.busy["p"] == {1: 0, 0: 1} and search.slot_of == {0: 1, 1: 0}
    # Someone free in the first slot has nothing to move: an empty chain, a no-op.
    search._release(1)
    assert search._chain("p", 0, 1) == []
