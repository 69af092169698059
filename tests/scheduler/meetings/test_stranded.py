"""Strict solves place stranded meetings deliberately: CP-SAT neighbourhoods around each
unplaced meeting (``large_event._missing_neighbourhood``) with placement-first weights, then
around anyone that left above their break limit (``_excess_neighbourhood``); a schedule
still above a limit at the end loses the meetings that put it there."""

from __future__ import annotations

import itertools
import random
import time

import pytest

from scheduler.meetings import (
    MeetingInstance,
    MeetingResult,
    SolveOptions,
    Status,
    large_event,
    solve,
    validate,
)
from scheduler.meetings.large_event import (
    MISSING_SIZES,
    LnsState,
    NeighbourhoodModel,
    _excess_neighbourhood,
    _missing_neighbourhood,
    _over_limit,
    _placement_first,
    _search_on,
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


def _stranded_at_the_end(make_instance: MakeInstance) -> MeetingInstance:
    """a meets b at slot 0 (fixed) and c, who only comes in slot 2: with d = 0, placing
    a-c gives a a break above the bound."""
    return make_instance(
        [("a", "b"), ("a", "c")],
        n_slots=3,
        tables=2,
        fixed={1: 0},
        forbidden={"c": {0, 1}},
        fairness=0,
    )


def test_strict_neighbourhoods_place_a_meeting_even_above_the_fairness_bound(
    make_instance: MakeInstance,
) -> None:
    inst = _stranded_at_the_end(make_instance)
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


def test_a_strict_large_solve_never_returns_a_schedule_above_the_fairness_bound(
    make_instance: MakeInstance,
) -> None:
    """Placing c's meeting gives a a break with d = 0: the only full schedule breaks the
    fairness bound, so the strict solve reports unknown with the best schedule within it (it
    returned that full schedule as optimal before)."""
    inst = _stranded_at_the_end(make_instance)
    options = SolveOptions(
        time_limit_s=5, workers=1, allow_unscheduled=False, large_event_threshold=0
    )
    result = solve(inst, options)
    assert result.status is Status.UNKNOWN
    assert validate(inst, result) == []
    assert set(result.assignments) == {"m1"}
    assert [u.meeting_id for u in result.unscheduled] == ["m2"]


def _rounds(
    inst: MeetingInstance, start: dict[int, int], rounds: int, allow_unscheduled: bool
) -> MeetingResult:
    """The large path's neighbourhood phase from ``start``, stopped after at most ``rounds``
    rounds (its stop is asked once before each), then its result (the fairness check
    included)."""
    asked = itertools.count()
    options = SolveOptions(
        time_limit_s=60, workers=1, allow_unscheduled=allow_unscheduled, large_event_threshold=0
    )
    return _search_on(
        inst,
        options,
        None,
        time.perf_counter(),
        None,
        start,
        lambda: next(asked) >= rounds,
        lambda: None,
        [],
    )


def _crowd_and_a_broken_day(make_instance: MakeInstance, fairness: int) -> MeetingInstance:
    """250 pairs meeting once, and a, who meets b and c: more movable meetings than a small
    event's (SMALL_EVENT_MEETINGS), so no neighbourhood holds the whole event."""
    crowd = [(f"p{i}", f"q{i}") for i in range(250)]
    return make_instance([("a", "b"), ("a", "c"), *crowd], n_slots=3, tables=300, fairness=fairness)


def test_a_participant_above_the_limit_gets_a_neighbourhood_of_their_own(
    make_instance: MakeInstance,
) -> None:
    inst = _crowd_and_a_broken_day(make_instance, fairness=0)
    state = LnsState(inst, {0: 0, 1: 2} | {m: 1 for m in range(2, len(inst.meetings))})
    assert _over_limit(inst, state.slot_of) == ["a"]
    free = _excess_neighbourhood(random.Random(0), state, "a", 150)
    assert {0, 1} <= free
    sub = NeighbourhoodModel(state, free, placement_first=True)
    changes = sub.solve(5.0, 1, 0)
    assert changes is not None
    state.apply(changes)
    assert _over_limit(inst, state.slot_of) == []
    assert len(state.slot_of) == len(inst.meetings)


@pytest.mark.parametrize("strict", [True, False])
def test_the_first_neighbourhood_goes_to_the_participant_above_the_limit(
    make_instance: MakeInstance, strict: bool
) -> None:
    """One round of neighbourhoods (the search is stopped after it) from a schedule where a
    has a break above the bound: that round mends a's day, with every meeting still placed."""
    inst = _crowd_and_a_broken_day(make_instance, fairness=0)
    start = {0: 0, 1: 2} | {m: 1 for m in range(2, len(inst.meetings))}
    result = _rounds(inst, start, 1, allow_unscheduled=not strict)
    assert validate(inst, result, require_all=True) == []
    assert result.breaks["a"] == 0


def test_an_excess_no_neighbourhood_can_mend_is_left_after_the_largest_one(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """a's three fixed meetings force two breaks, one above d = 1: after one neighbourhood of
    each size (MISSING_SIZES) the search goes back to its other neighbourhoods."""
    crowd = [(f"p{i}", f"q{i}") for i in range(250)]
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("a", "e"), *crowd],
        n_slots=5,
        tables=300,
        fixed={1: 0, 2: 2, 3: 4},
        fairness=1,
    )
    start = {0: 0, 1: 2, 2: 4} | {m: 1 for m in range(3, len(inst.meetings))}
    assert _over_limit(inst, start) == ["a"]
    asked: list[str] = []

    def counted(rng: random.Random, state: LnsState, pid: str, limit: int) -> set[int]:
        asked.append(pid)
        return _excess_neighbourhood(rng, state, pid, limit)

    monkeypatch.setattr(large_event, "_excess_neighbourhood", counted)
    result = _rounds(inst, start, 8, allow_unscheduled=True)
    assert asked == ["a"] * len(MISSING_SIZES)
    assert len(result.assignments) == len(inst.meetings)  # the fixed meetings stay


def test_meetings_in_an_order_may_go_to_bring_a_day_within_its_limit(
    make_instance: MakeInstance,
) -> None:
    """The neighbourhoods never free ordered meetings; when they leave a above d = 0 and the
    search stops at once, one of them is taken out rather than the schedule returned
    invalid."""
    inst = make_instance(
        [("a", "b"), ("a", "c")], n_slots=3, fairness=0, precedences=(("m1", "m2"),)
    )
    result = _rounds(inst, {0: 0, 1: 2}, 0, allow_unscheduled=True)
    assert validate(inst, result) == []
    assert len(result.assignments) == 1


@pytest.mark.parametrize(
    ("forbidden", "weighings"),
    [
        ({"c": {0}}, [False]),  # c's meeting fits in slot 1, next to a's other one
        ({"c": {0, 1}}, [False, True]),  # only slot 2 is left: a break above d = 0
    ],
)
def test_a_stranded_meeting_is_placed_within_the_limits_first(
    make_instance: MakeInstance,
    monkeypatch: pytest.MonkeyPatch,
    forbidden: dict[str, set[int]],
    weighings: list[bool],
) -> None:
    """A strict round around a stranded meeting weighs fairness first, and placement first
    only where that places nothing."""
    inst = make_instance(
        [("a", "b"), ("a", "c")], n_slots=3, fixed={1: 0}, forbidden=forbidden, fairness=0
    )
    asked: list[bool] = []

    class Spy(NeighbourhoodModel):
        def __init__(self, state: LnsState, free: set[int], placement_first: bool = False):
            asked.append(placement_first)
            super().__init__(state, free, placement_first)

    monkeypatch.setattr(large_event, "NeighbourhoodModel", Spy)
    _rounds(inst, {0: 0}, 1, allow_unscheduled=False)
    assert asked == weighings
