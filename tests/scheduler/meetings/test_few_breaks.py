"""The SAT linear search over runs (few_breaks.py): exact optimum, refutations as bounds,
what it declines, its child in the race."""

from __future__ import annotations

import dataclasses
import itertools
import random
import threading

import pytest

import scheduler.meetings.solving as solving
from scheduler.meetings import MeetingInstance, SolveOptions, Status, solve, validate
from scheduler.meetings import maxsat as maxsat_module
from scheduler.meetings.few_breaks import few_breaks_problem, search
from scheduler.meetings.maxsat import MaxSatContender
from scheduler.meetings.race import race as real_race
from scheduler.meetings.schedule_result import build_result

from .brute_force import brute_force_optimum
from .conftest import MakeInstance

LIMIT = 60.0
MODULE = "scheduler.meetings.few_breaks"


def _searched(instance: MeetingInstance, lower: int = 0) -> tuple[Status, int, list[int]]:
    """Status, breaks and reported bounds of the search; a schedule is validated here."""
    prepared = few_breaks_problem(instance)
    assert prepared is not None
    bounds: list[int] = []
    status, slots, breaks = search(*prepared, lower, bounds.append)
    if status is Status.OPTIMAL:
        plan = {instance.meetings[m].id: s for m, s in slots.items()}
        result = build_result(instance, Status.OPTIMAL, plan, 0.0, solver="few-breaks")
        assert validate(instance, result, require_all=True) == []
        assert result.objective == breaks
    return status, breaks, bounds


def _random_instance(make_instance: MakeInstance, seed: int) -> MeetingInstance:
    """Six people, eight meetings, six slots, two tables, a few forbidden slots; fairness 1
    where someone has a single meeting (a limit per participant), none otherwise."""
    rng = random.Random(seed)
    people = ["a", "b", "c", "d", "e", "f"]
    pairs = rng.sample([(p, q) for i, p in enumerate(people) for q in people[i + 1 :]], 8)
    forbidden = {p: set(rng.sample(range(6), 2)) for p in rng.sample(people, 3)}
    counts = {p: sum(p in pair for pair in pairs) for p in people}
    fairness = 1 if 1 in counts.values() else None
    return make_instance(pairs, n_slots=6, tables=2, forbidden=forbidden, fairness=fairness)


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_equals_the_brute_force(make_instance: MakeInstance, seed: int) -> None:
    instance = _random_instance(make_instance, seed)
    expected = brute_force_optimum(instance)
    status, breaks, bounds = _searched(instance)
    if expected is None:
        assert status is Status.INFEASIBLE
        return
    assert status is Status.OPTIMAL and breaks == expected
    # One refutation per break below the optimum, each reported as a proven bound.
    assert bounds == list(range(1, expected + 1))


@pytest.mark.parametrize("seed", range(8))
def test_ordered_meetings_keep_their_order_at_the_brute_force_optimum(
    make_instance: MakeInstance, seed: int
) -> None:
    base = _random_instance(make_instance, seed)
    rng = random.Random(100 + seed)
    # Four meetings in a chain: on these seeds the order raises the optimum or rules out
    # every schedule.
    chain = rng.sample([m.id for m in base.meetings], 4)
    instance = dataclasses.replace(base, precedences=tuple(itertools.pairwise(chain)))
    expected = brute_force_optimum(instance)
    status, breaks, bounds = _searched(instance)  # the validator checks the order too
    if expected is None:
        assert status is Status.INFEASIBLE
        return
    assert status is Status.OPTIMAL and breaks == expected
    assert bounds == list(range(1, expected + 1))


def _four_forced(make_instance: MakeInstance, **kwargs: object) -> MeetingInstance:
    # A ring of four, each with slot 1 of 3 forbidden: two meetings each, at 0 and 2.
    ring = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]
    return make_instance(
        ring, n_slots=3, tables=2, forbidden={p: {1} for p in "abcd"}, fairness=None, **kwargs
    )


def test_the_search_starts_from_the_given_bound(make_instance: MakeInstance) -> None:
    instance = _four_forced(make_instance)
    assert brute_force_optimum(instance) == 4
    assert _searched(instance, lower=3) == (Status.OPTIMAL, 4, [4])
    assert _searched(instance, lower=4) == (Status.OPTIMAL, 4, [])


def test_a_fairness_limit_can_leave_no_schedule(make_instance: MakeInstance) -> None:
    # "e" has a single meeting, so fairness 0 forbids every break, and the ring needs four.
    ring = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "e")]
    forbidden = {p: {1} for p in "bcd"}
    instance = make_instance(ring, n_slots=3, tables=3, forbidden=forbidden, fairness=0)
    assert brute_force_optimum(instance) is None
    assert _searched(instance)[0] is Status.INFEASIBLE


def test_what_it_cannot_encode_exactly_is_declined(make_instance: MakeInstance) -> None:
    pairs = [("a", "b"), ("b", "c"), ("a", "c")]
    assert few_breaks_problem(make_instance(pairs, fairness=None)) is not None
    # Fairness as a range: nobody has a single meeting, so no limit per participant.
    assert few_breaks_problem(make_instance(pairs, fairness=1)) is None
    ordered = make_instance(pairs, precedences=(("m1", "m2"),), fairness=None)
    assert few_breaks_problem(ordered) is not None  # precedences are clauses
    assert few_breaks_problem(make_instance(pairs, online=[1], fairness=None)) is None
    assert few_breaks_problem(make_instance(pairs, caps={"a": 1}, fairness=None)) is None


def _race_alone(contender: MaxSatContender) -> list[float | None]:
    bounds: list[float | None] = []
    contender.run(
        LIMIT,
        threading.Event(),
        seed=0,
        log=False,
        progress=lambda report: bounds.append(report.bound),
        interval_s=1.0,
    )
    return bounds


def test_the_child_proves_the_optimum_and_reports_its_bounds(make_instance: MakeInstance) -> None:
    instance = _four_forced(make_instance)
    contender = MaxSatContender(instance, "few-breaks", MODULE, ("1",))
    assert _race_alone(contender) == [2.0, 3.0, 4.0]
    assert contender.proven and contender.has_solution and contender.objective == 4
    plan = {instance.meetings[m].id: s for m, s in contender.plan().items()}
    result = build_result(instance, Status.OPTIMAL, plan, 0.0, solver="few-breaks")
    assert validate(instance, result, require_all=True) == []


def test_a_contender_stopped_while_it_waits_starts_no_child(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_child(module: str, *args: str) -> None:
        raise AssertionError("no child may start")

    monkeypatch.setattr(maxsat_module, "start_child", no_child)
    stop = threading.Event()
    contender = MaxSatContender(_four_forced(make_instance), "few-breaks", MODULE, ("0",), 600)
    threading.Timer(0.2, stop.set).start()
    contender.run(LIMIT, stop, seed=0, log=False, progress=None, interval_s=1.0)
    assert contender.outcome is not None and contender.outcome.detail == "stopped"
    assert not contender.proven


STEADY = "tests.scheduler.meetings.steady_child"


def test_the_child_is_read_to_its_answer_however_long_it_goes_without_a_bound(
    make_instance: MakeInstance,
) -> None:
    # No budget of its own: a bound after a silent stretch, then the answer after another.
    contender = MaxSatContender(make_instance([("a", "b")]), "steady", STEADY, ("2", "1.0"))
    bounds = _race_alone(contender)
    assert contender.proven and contender.infeasible
    assert bounds == [1.0, 2.0]


def test_it_races_where_breaks_are_proven_and_the_solve_stays_optimal(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    raced: list[list[str]] = []

    def spied_race(contenders: list[MaxSatContender], *args: object, **kwargs: object) -> object:
        raced.append([c.name for c in contenders])
        return real_race(contenders, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(solving, "race", spied_race)
    monkeypatch.setattr(solving, "FEW_BREAKS_AFTER", 0.0)  # the child starts at once
    instance = _four_forced(make_instance)
    options = SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=2)
    result = solve(instance, options)
    assert result.status is Status.OPTIMAL and result.objective == 4
    assert result.solver in ("cp-sat", "few-breaks")
    assert validate(instance, result, require_all=True) == []
    assert raced and "few-breaks" in raced[-1]
    # Off, it stays out of the race; the answer is the same.
    raced.clear()
    result = solve(
        instance, SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, few_breaks=False)
    )
    assert result.status is Status.OPTIMAL and result.objective == 4
    assert raced and "few-breaks" not in raced[-1]
    # Where meetings are ordered it races too (precedences are clauses of its encoding).
    raced.clear()
    ordered = _four_forced(make_instance, precedences=(("m1", "m2"),))
    assert brute_force_optimum(ordered) == 4
    result = solve(ordered, options)
    assert result.status is Status.OPTIMAL and result.objective == 4
    assert validate(ordered, result, require_all=True) == []
    assert raced and "few-breaks" in raced[-1]
    # Above the pairs the MaxSAT engines may take, it stays out too.
    raced.clear()
    small = SolveOptions(
        time_limit_s=LIMIT, allow_unscheduled=False, workers=2, maxsat_max_pairs=instance.pairs - 1
    )
    result = solve(instance, small)
    assert result.status is Status.OPTIMAL and result.objective == 4
    assert raced and "few-breaks" not in raced[-1]
