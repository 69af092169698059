"""Strict solves place stranded meetings deliberately: CP-SAT neighbourhoods around each
unplaced meeting (``large_event._missing_neighbourhood``) with placement-first weights."""

from __future__ import annotations

import itertools
import random

import pytest

from scheduler.meetings import Status, validate
from scheduler.meetings.large_event import (
    LnsState,
    NeighbourhoodModel,
    _missing_neighbourhood,
    _placement_first,
    _unplaced_movable,
)
from scheduler.meetings.objective import Score, evaluate, lexicographic_weights
from scheduler.meetings.schedule_result import build_result

from .conftest import MakeInstance


@pytest.mark.parametrize(("breaks", "moves", "unscheduled"), [(3, 0, 2), (7, 2, 4), (40, 6, 9)])
def test_placement_first_weights_put_one_more_meeting_above_any_excess(
    breaks: int, moves: int, unscheduled: int
) -> None:
    """Within the bounds, the sums order schedules by (unscheduled, excess, moves, breaks)."""
    w = _placement_first(
        lexicographic_weights(breaks=breaks, moves=moves, unscheduled=unscheduled), breaks
    )
    rng = random.Random(breaks + moves + unscheduled)
    scores = [
        Score(
            excess=rng.randint(0, breaks),
            unscheduled_priority=rng.randint(0, unscheduled),
            moves=rng.randint(0, moves),
            breaks=rng.randint(0, breaks),
        )
        for _ in range(120)
    ]

    def order(s: Score) -> tuple[int, int, int, int]:
        return s.unscheduled_priority, s.excess, s.moves, s.breaks

    for a, b in itertools.combinations(scores, 2):
        assert (w.value(a) < w.value(b)) == (order(a) < order(b))


def test_strict_neighbourhoods_place_a_meeting_even_above_the_fairness_bound(
    make_instance: MakeInstance,
) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c")],
        n_slots=3,
        tables=2,
        fixed={1: 0},
        forbidden={"c": {0, 1}},
        fairness=0,
    )
    everything = set(range(len(inst.meetings)))
    lenient = NeighbourhoodModel(LnsState(inst, {0: 0}), everything)
    assert lenient.solve(5.0, 1, 0) == {1: None}  # fairness first: left out
    state = LnsState(inst, {0: 0})
    strict = NeighbourhoodModel(state, everything, placement_first=True)
    changes = strict.solve(5.0, 1, 0)
    assert changes == {1: 2} and strict.proven
    state.apply(changes)
    assert evaluate(inst, state.slot_of) == Score(
        excess=1, unscheduled_priority=0, moves=0, breaks=1
    )


def test_a_meeting_placeable_only_by_shifting_a_day_is_placed(
    make_instance: MakeInstance,
) -> None:
    """v meets h1 and h2 in slots 0 and 1; v-h3 is stranded (h3 is there in slot 0 only) and
    no single move places it: v's day has to shift by one slot."""
    inst = make_instance(
        [("v", "h1"), ("v", "h2"), ("v", "h3"), ("w", "h1"), ("w", "h2")],
        n_slots=3,
        tables=2,
        forbidden={"h3": {1, 2}},
    )
    state = LnsState(inst, {0: 0, 1: 1, 3: 1, 4: 2})
    free = _missing_neighbourhood(random.Random(0), state, _unplaced_movable(state), 150)
    assert 2 in free
    sub = NeighbourhoodModel(state, free, placement_first=True)
    changes = sub.solve(5.0, 1, 0)
    assert changes is not None and sub.proven
    state.apply(changes)
    plan = {inst.meetings[m].id: s for m, s in state.slot_of.items()}
    result = build_result(inst, Status.FEASIBLE, plan, 0.0)
    assert validate(inst, result, require_all=True) == []
    # The whole event was the neighbourhood: its optimum, no break for anybody.
    assert evaluate(inst, state.slot_of) == Score(0, 0, 0, 0)
