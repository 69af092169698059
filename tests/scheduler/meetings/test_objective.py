"""One objective for every engine (scheduler/meetings/objective.py)."""

from __future__ import annotations

import itertools
import random

import pytest
from ortools.sat.python import cp_model

from scheduler.meetings import MeetingInstance, Placement, Status
from scheduler.meetings.large_event import LnsState, NeighbourhoodModel
from scheduler.meetings.local_search import LocalSearch
from scheduler.meetings.model import MeetingModel
from scheduler.meetings.objective import (
    STEP_BREAKS,
    Score,
    break_delta,
    count_breaks,
    evaluate,
    lexicographic_weights,
    mask_breaks,
    step_weights,
)
from scheduler.meetings.schedule_result import build_result

from .conftest import MakeInstance

PAIRS = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "e"), ("d", "e")]


def _instance(make_instance: MakeInstance, **kwargs: object) -> MeetingInstance:
    return make_instance(PAIRS, n_slots=6, tables=2, priorities={1: 3, 4: 2}, **kwargs)


# A plan with breaks, a meeting left out (m6) and, for the re-solve, moves.
PLAN = {0: 0, 1: 2, 2: 5, 3: 1, 4: 3, 6: 0}
PREVIOUS = {"m1": Placement(0), "m2": Placement(1), "m5": Placement(3), "m6": Placement(4)}


def _solve_fixed(model: cp_model.CpModel, x: dict[tuple[int, int], cp_model.IntVar]) -> float:
    for (m, s), var in x.items():
        model.add(var == int(PLAN.get(m) == s))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.objective_value


@pytest.mark.parametrize("resolve", [False, True])
def test_exact_model_values_a_schedule_as_the_objective_does(
    make_instance: MakeInstance, resolve: bool
) -> None:
    instance = _instance(make_instance, fairness=None, previous=PREVIOUS if resolve else {})
    score = evaluate(instance, PLAN)
    # a: 0, 2, 5 (2 breaks); b: 0, 1, 3 (1); d: 0, 3, 5 (2); m2 and the left-out m6 moved.
    assert score.unscheduled_priority == 1 and score.breaks == 5
    assert score.moves == (2 if resolve else 0)
    model = MeetingModel(instance, allow_unscheduled=True)
    assert _solve_fixed(model.model, model.x) == model.weights.value(score)


@pytest.mark.parametrize("resolve", [False, True])
def test_neighbourhood_model_values_a_schedule_as_the_objective_does(
    make_instance: MakeInstance, resolve: bool
) -> None:
    # fairness 0: the plan's breaks are all excess, which the neighbourhood weighs first.
    instance = _instance(make_instance, fairness=0, previous=PREVIOUS if resolve else {})
    score = evaluate(instance, PLAN)
    assert score.excess == score.breaks == 5
    sub = NeighbourhoodModel(LnsState(instance, PLAN), set(range(len(instance.meetings))))
    assert _solve_fixed(sub.model, sub.x) == sub.weights.value(score)


@pytest.mark.parametrize("resolve", [False, True])
def test_local_search_values_a_schedule_as_the_objective_does(
    make_instance: MakeInstance, resolve: bool
) -> None:
    instance = _instance(make_instance, fairness=0, previous=PREVIOUS if resolve else {})
    search = LocalSearch(instance, PLAN, set(range(len(instance.meetings))))
    assert search.value() == step_weights().value(evaluate(instance, PLAN))


def test_result_reports_the_objectives_break_count(make_instance: MakeInstance) -> None:
    instance = _instance(make_instance)
    plan = {instance.meetings[m].id: s for m, s in PLAN.items()}
    result = build_result(instance, Status.FEASIBLE, plan, 0.0)
    assert result.objective == evaluate(instance, PLAN).breaks


@pytest.mark.parametrize(
    ("breaks", "moves", "unscheduled"), [(0, 0, 0), (3, 0, 0), (7, 2, 0), (5, 3, 4), (40, 6, 9)]
)
def test_weights_are_lexicographic(breaks: int, moves: int, unscheduled: int) -> None:
    """Within the bounds, the weighted sums order any two schedules as their levels do."""
    w = lexicographic_weights(breaks=breaks, moves=moves, unscheduled=unscheduled)
    rng = random.Random(breaks * 100 + moves * 10 + unscheduled)
    scores = [
        Score(
            excess=rng.randint(0, 2),
            unscheduled_priority=rng.randint(0, unscheduled),
            moves=rng.randint(0, moves),
            breaks=rng.randint(0, breaks),
        )
        for _ in range(120)
    ]
    for a, b in itertools.combinations(scores, 2):
        assert (w.value(a) < w.value(b)) == (a < b)
        assert (w.value(a) == w.value(b)) == (a == b)


def test_one_more_meeting_beats_any_saving_below() -> None:
    w = lexicographic_weights(breaks=30, moves=4, unscheduled=10)
    placed = Score(excess=0, unscheduled_priority=0, moves=4, breaks=30)
    saved = Score(excess=0, unscheduled_priority=1, moves=0, breaks=0)
    assert w.value(placed) < w.value(saved)
    moved = Score(excess=0, unscheduled_priority=0, moves=1, breaks=0)
    no_move = Score(excess=0, unscheduled_priority=0, moves=0, breaks=30)
    assert w.value(no_move) < w.value(moved)
    fair = Score(excess=0, unscheduled_priority=10, moves=4, breaks=30)
    unfair = Score(excess=1, unscheduled_priority=0, moves=0, breaks=0)
    assert w.value(fair) < w.value(unfair)


def test_mask_breaks_counts_the_breaks_of_the_slots_set_in_a_mask() -> None:
    rng = random.Random(11)
    for _ in range(500):
        busy = set(rng.sample(range(24), rng.randint(0, 14)))
        assert mask_breaks(sum(1 << s for s in busy)) == count_breaks(busy)
    assert mask_breaks(0) == 0
    assert mask_breaks(0b1011) == 1


def test_break_delta_matches_count_breaks_and_bounds_a_step() -> None:
    """Adding (or removing) one slot changes a day's breaks by at most one, which is what
    the step weights of the local search assume (STEP_BREAKS)."""
    rng = random.Random(7)
    for _ in range(500):
        busy = set(rng.sample(range(12), rng.randint(0, 8)))
        slot = rng.choice([s for s in range(12) if s not in busy])
        lo, hi = (min(busy), max(busy)) if busy else (None, None)
        delta = count_breaks([*busy, slot]) - count_breaks(busy)
        assert delta == break_delta(busy, lo, hi, slot)
        assert abs(delta) <= 1
    assert STEP_BREAKS == 2 * 2
