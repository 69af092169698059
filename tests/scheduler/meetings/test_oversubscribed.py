"""Oversubscribed events: the proven upper bound on placeable priority weight (bounds.py)."""

from __future__ import annotations

import pytest

from benchkit.meetings.oversubscribed import generate_oversubscribed
from scheduler.meetings import SolveOptions, Status, solve, validate
from scheduler.meetings.bounds import placement_upper_bound

from .conftest import MakeInstance


def test_a_busy_participant_bounds_the_weight_exactly(make_instance: MakeInstance) -> None:
    # "a" has five meetings and three slots: the best three by priority (3 + 3 + 2) fit.
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("a", "d"), ("a", "e"), ("a", "f")],
        n_slots=3,
        priorities={1: 3, 2: 1, 3: 3, 4: 2, 5: 1},
        fairness=None,
    )
    assert placement_upper_bound(inst, time_limit=10) == 8
    result = solve(inst, SolveOptions(time_limit_s=20, allow_unscheduled=True))
    assert result.status is Status.OPTIMAL
    assert result.scheduled_weight == 8 == result.weight_bound
    assert validate(inst, result) == []


def test_tables_bound_the_weight(make_instance: MakeInstance) -> None:
    # Four disjoint pairs, two slots, one table: two meetings at most, the two heaviest.
    inst = make_instance(
        [("a", "b"), ("c", "d"), ("e", "f"), ("g", "h")],
        n_slots=2,
        tables=1,
        priorities={1: 1, 2: 2, 3: 3, 4: 1},
        fairness=None,
    )
    assert placement_upper_bound(inst, time_limit=10) == 5


def test_the_bound_is_valid_where_it_is_not_tight(make_instance: MakeInstance) -> None:
    # A triangle in two slots: every person could take two meetings, no schedule holds three.
    inst = make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=2, fairness=None)
    result = solve(inst, SolveOptions(time_limit_s=20, allow_unscheduled=True))
    assert result.status is Status.OPTIMAL and result.scheduled_weight == 2
    assert result.weight_bound == 3


@pytest.mark.parametrize("seed", [0, 1])
def test_a_small_oversubscribed_event_stays_under_its_bound(seed: int) -> None:
    inst = generate_oversubscribed(40, 120, seed=seed, n_slots=6, n_tables=6)
    assert len(inst.meetings) == 120
    assert sum(1 for m in inst.meetings if not inst.uses_shared_table(m)) == 0
    # What is checked holds for any schedule the solve returns (its best at the limit).
    result = solve(inst, SolveOptions(time_limit_s=2, allow_unscheduled=True))
    assert validate(inst, result) == []
    assert result.weight_bound is not None
    assert result.scheduled_weight <= result.weight_bound
    # 6 tables x 6 slots hold 36 of the 120 meetings.
    assert len(result.assignments) <= 36


def test_the_generator_is_seeded_and_checks_its_sizes() -> None:
    assert generate_oversubscribed(30, 50, seed=2) == generate_oversubscribed(30, 50, seed=2)
    with pytest.raises(ValueError, match="n_requests"):
        generate_oversubscribed(4, 100)
