"""The MaxSAT engine: optimal values against a brute force and CP-SAT, validator-checked
schedules, infeasibility only with the SAT solver's proof."""

from __future__ import annotations

import random
import threading

import pytest

from scheduler.meetings import DayPart, MeetingInstance, SolveOptions, Status, solve, validate
from scheduler.meetings.maxsat import MaxSatOptions, MaxSatSearch, run_maxsat
from scheduler.meetings.maxsat_encoding import EncodingOptions, maxsat_unsupported
from scheduler.meetings.schedule_result import build_result

from .brute_force import brute_force_optimum
from .conftest import MakeInstance

LIMIT = 60.0  # a safety net only: every instance here is solved in well under a second


def _solved_by_maxsat(instance: MeetingInstance, options: MaxSatOptions | None = None) -> int:
    outcome = run_maxsat(instance, LIMIT, options)
    assert outcome.status is Status.OPTIMAL, outcome.detail
    slots = {instance.meetings[m].id: s for m, s in outcome.slots.items()}
    result = build_result(instance, Status.OPTIMAL, slots, outcome.seconds, solver="maxsat")
    assert validate(instance, result, require_all=True) == []
    assert result.objective == outcome.bound
    assert result.objective is not None
    return result.objective


def _random_instance(make_instance: MakeInstance, seed: int, **kwargs: object) -> MeetingInstance:
    rng = random.Random(seed)
    people = ["a", "b", "c", "d", "e"]
    pairs = rng.sample([(p, q) for i, p in enumerate(people) for q in people[i + 1 :]], 6)
    forbidden = {p: {rng.randrange(5)} for p in rng.sample(people, 2)}
    return make_instance(pairs, n_slots=5, tables=2, forbidden=forbidden, **kwargs)


@pytest.mark.parametrize("seed", range(6))
def test_optimum_equals_brute_force_and_cp_sat(make_instance: MakeInstance, seed: int) -> None:
    instance = _random_instance(make_instance, seed)
    expected = brute_force_optimum(instance)
    if expected is None:
        assert run_maxsat(instance, LIMIT).status is Status.INFEASIBLE
        return
    assert _solved_by_maxsat(instance) == expected
    cp_sat = solve(instance, SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False))
    assert cp_sat.status is Status.OPTIMAL
    assert cp_sat.objective == expected


@pytest.mark.parametrize(
    "options",
    [
        MaxSatOptions(encoding=EncodingOptions(tables="totalizer", at_most_one="seqcounter")),
        MaxSatOptions(encoding=EncodingOptions(busy_count=False, busy_per_slot=False)),
        MaxSatOptions(solver="cd19", adapt=True, exhaust=True, minimize=True),
    ],
)
def test_other_encodings_and_oracles_agree(
    make_instance: MakeInstance, options: MaxSatOptions
) -> None:
    instance = _random_instance(make_instance, 3)
    expected = brute_force_optimum(instance)
    assert expected is not None
    assert _solved_by_maxsat(instance, options) == expected


def test_fairness_as_a_range_without_a_single_meeting_participant(
    make_instance: MakeInstance,
) -> None:
    # Everyone has two meetings or more, so max - min <= d is encoded as a range; with
    # d = 0 everyone needs a break, which raises the optimum.
    pairs = [("a", "b"), ("a", "c"), ("b", "c"), ("b", "d"), ("c", "d")]
    optima = {}
    for fairness in (None, 0, 1):
        instance = make_instance(pairs, n_slots=5, tables=1, fairness=fairness)
        expected = brute_force_optimum(instance)
        assert expected is not None
        optima[fairness] = _solved_by_maxsat(instance)
        assert optima[fairness] == expected
    assert optima[0] > optima[None]


def test_fairness_range_can_make_an_instance_infeasible(make_instance: MakeInstance) -> None:
    # a waits one slot for c while b meets at once; nobody has a single meeting.
    pairs = [("a", "b"), ("a", "c"), ("b", "c")]
    instance = make_instance(pairs, n_slots=4, forbidden={"c": {1, 2}, "b": {3}}, fairness=0)
    expected = brute_force_optimum(instance)
    outcome = run_maxsat(instance, LIMIT)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
    else:
        assert _solved_by_maxsat(instance) == expected


def test_day_parts_fixed_meetings_and_precedences(make_instance: MakeInstance) -> None:
    pairs = [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")]
    instance = make_instance(
        pairs,
        n_slots=5,
        n_morning=2,
        tables=2,
        day_parts={1: DayPart.AFTERNOON, 4: DayPart.MORNING},
        fixed={2: 3},
        precedences=(("m5", "m3"), ("m4", "m1")),
    )
    expected = brute_force_optimum(instance)
    assert expected is not None
    assert _solved_by_maxsat(instance) == expected


def test_table_capacity_infeasibility_is_proven(make_instance: MakeInstance) -> None:
    # Four meetings of four different pairs, one table, three slots: the engine runs no
    # cheap precheck of its own, so the SAT solver has to prove it.
    pairs = [("a", "b"), ("c", "d"), ("e", "f"), ("g", "h")]
    instance = make_instance(pairs, n_slots=3, tables=1, fairness=None)
    assert brute_force_optimum(instance) is None
    outcome = run_maxsat(instance, LIMIT)
    assert outcome.status is Status.INFEASIBLE
    assert outcome.slots == {}


def test_precedence_cycle_is_infeasible(make_instance: MakeInstance) -> None:
    pairs = [("a", "b"), ("b", "c"), ("c", "d")]
    instance = make_instance(
        pairs, n_slots=4, precedences=(("m1", "m2"), ("m2", "m3"), ("m3", "m1"))
    )
    assert run_maxsat(instance, LIMIT).status is Status.INFEASIBLE


def test_unsupported_instances_are_named(make_instance: MakeInstance) -> None:
    assert maxsat_unsupported(make_instance([("a", "b")])) is None
    assert "online" in (maxsat_unsupported(make_instance([("a", "b")], online=[1])) or "")
    assert "caps" in (maxsat_unsupported(make_instance([("a", "b")], caps={"a": 1})) or "")
    with pytest.raises(ValueError, match="caps"):
        MaxSatSearch(make_instance([("a", "b")], caps={"a": 1}))


def test_a_stopped_search_reports_unknown_without_a_schedule(make_instance: MakeInstance) -> None:
    instance = _random_instance(make_instance, 0)
    stop = threading.Event()
    stop.set()
    outcome = MaxSatSearch(instance).run(LIMIT, stop)
    assert outcome.status is Status.UNKNOWN
    assert outcome.slots == {}
    assert outcome.detail == "stopped"


def test_raised_bounds_are_reported(make_instance: MakeInstance) -> None:
    # Optimum 1: the core-guided search proves "at least 1" before its optimal schedule.
    pairs = [("a", "b"), ("a", "c")]
    instance = make_instance(pairs, n_slots=3, forbidden={"b": {1, 2}, "c": {0, 1}}, fairness=1)
    bounds: list[int] = []
    outcome = MaxSatSearch(instance).run(LIMIT, on_bound=bounds.append)
    assert outcome.status is Status.OPTIMAL
    assert outcome.bound == 1
    assert bounds == [1]


@pytest.mark.parametrize("seed", range(4))
def test_solve_with_the_maxsat_contender_racing(make_instance: MakeInstance, seed: int) -> None:
    instance = _random_instance(make_instance, seed, fairness=0)
    expected = brute_force_optimum(instance)
    options = SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, maxsat=True, workers=2)
    result = solve(instance, options)
    if expected is None:
        assert result.status is Status.INFEASIBLE
        return
    assert result.status is Status.OPTIMAL
    assert result.objective == expected
    # A schedule without breaks comes from the SAT search before the race.
    assert result.solver in (("sat",) if expected == 0 else ("cp-sat", "maxsat"))
    assert validate(instance, result, require_all=True) == []
