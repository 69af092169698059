"""UWrMaxSat (hermax) in the MaxSAT child: optimal values against a brute force, validator-
checked schedules, an early start before the race, and a child that never outlives its solve."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest

from benchkit.data import b2b_instances_dir
from scheduler.meetings import (
    MeetingInstance,
    SolveOptions,
    Status,
    read_dzn,
    solve,
    solving,
    validate,
)
from scheduler.meetings.maxsat import MaxSatContender
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.zero_break import Answer, ZeroBreakProbe

from .brute_force import brute_force_optimum
from .conftest import MakeInstance

LIMIT = 120.0  # a safety net only: the small instances are solved in about a second


def _uwrmaxsat(instance: MeetingInstance) -> MaxSatContender:
    return MaxSatContender(instance, "uwrmaxsat", args=("uwrmaxsat",))


def _run(contender: MaxSatContender, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    contender.run(LIMIT, stop, seed=0, log=False, progress=None, interval_s=1.0)


def _random_instance(make_instance: MakeInstance, seed: int) -> MeetingInstance:
    rng = random.Random(seed)
    people = ["a", "b", "c", "d", "e"]
    pairs = rng.sample([(p, q) for i, p in enumerate(people) for q in people[i + 1 :]], 7)
    forbidden = {p: {rng.randrange(5)} for p in rng.sample(people, 2)}
    return make_instance(pairs, n_slots=5, tables=2, forbidden=forbidden, fairness=1)


def _checked_objective(instance: MeetingInstance, contender: MaxSatContender) -> int:
    slots = {instance.meetings[m].id: s for m, s in contender.plan().items()}
    result = build_result(instance, Status.OPTIMAL, slots, 0.0, solver="uwrmaxsat")
    assert validate(instance, result, require_all=True) == []
    assert result.objective is not None
    return result.objective


@pytest.mark.parametrize("seed", range(6))
def test_the_optimum_equals_the_brute_force(make_instance: MakeInstance, seed: int) -> None:
    instance = _random_instance(make_instance, seed)
    expected = brute_force_optimum(instance)
    contender = _uwrmaxsat(instance)
    _run(contender)
    if expected is None:
        assert contender.infeasible
        return
    assert contender.has_solution and contender.objective == expected
    assert _checked_objective(instance, contender) == expected


def test_a_child_started_before_the_race_is_raced(make_instance: MakeInstance) -> None:
    pairs = [("a", "b"), ("a", "c")]
    instance = make_instance(pairs, n_slots=3, forbidden={"b": {1, 2}, "c": {0, 1}}, fairness=1)
    contender = _uwrmaxsat(instance)
    contender.start(LIMIT)
    assert contender.started
    _run(contender)
    assert contender.proven and contender.objective == 1
    assert _checked_objective(instance, contender) == 1


def test_a_discarded_contender_kills_its_child_and_never_starts_again(
    make_instance: MakeInstance,
) -> None:
    # tic-13crafc takes UWrMaxSat far longer than this test, so the child is mid-search.
    instance = read_dzn(b2b_instances_dir() / "tic-13crafc.original.dzn")
    contender = _uwrmaxsat(instance)
    contender.start(LIMIT)
    assert contender.started
    contender.discard()
    _run(contender)
    assert contender.outcome is not None and contender.outcome.detail == "discarded"
    assert not contender.proven and contender.plan() == {}

    never = _uwrmaxsat(_random_instance(make_instance, 0))
    never.discard()
    never.start(LIMIT)
    assert not never.started

    # Discarded before its timer fires: the race's call returns at once, no child.
    late = _uwrmaxsat(_random_instance(make_instance, 0))
    late.start_after(LIMIT, time.perf_counter() + LIMIT)
    late.discard()
    _run(late)
    assert not late.started and late.outcome is not None
    assert late.outcome.detail == "discarded"


def test_an_early_search_calls_back_with_its_proof_and_the_race_waits_for_it(
    make_instance: MakeInstance,
) -> None:
    instance = _random_instance(make_instance, 3)
    expected = brute_force_optimum(instance)
    proved = threading.Event()
    contender = _uwrmaxsat(instance)
    contender.start_after(0.0, time.perf_counter() + LIMIT, on_proven=proved.set)
    assert proved.wait(LIMIT)
    _run(contender)  # the race's call: the answer is there already
    if expected is None:
        assert contender.infeasible
    else:
        assert contender.has_solution and contender.objective == expected
        assert _checked_objective(instance, contender) == expected
    contender.discard()  # after the race: nothing left to stop


def test_a_discarded_early_search_ends_its_child() -> None:
    instance = read_dzn(b2b_instances_dir() / "tic-13crafc.original.dzn")
    proved = threading.Event()
    contender = _uwrmaxsat(instance)
    contender.start_after(0.0, time.perf_counter() + LIMIT, on_proven=proved.set)
    waited_until = time.perf_counter() + LIMIT
    while not contender.started and time.perf_counter() < waited_until:
        time.sleep(0.01)
    assert contender.started
    contender.discard()
    process = contender._process
    assert process is not None and process.returncode is not None
    assert not contender.proven and not proved.is_set()
    _run(contender)
    assert contender.outcome is not None and not contender.proven


def test_an_unknown_engine_is_answered_not_guessed(make_instance: MakeInstance) -> None:
    contender = MaxSatContender(_random_instance(make_instance, 1), "other", args=("other",))
    _run(contender)
    assert contender.outcome is not None and contender.outcome.status is Status.UNKNOWN
    assert contender.outcome.detail == "no engine 'other'"


def test_where_uwrmaxsat_may_start_early(make_instance: MakeInstance) -> None:
    instance = _random_instance(make_instance, 2)
    strict = SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=2)
    assert solving._early_uwrmaxsat(instance, strict) is not None
    for options in (
        SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=2, uwrmaxsat=False),
        SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=1),
        SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=4),  # RC2 races
        SolveOptions(time_limit_s=LIMIT, allow_unscheduled=None, workers=2),
    ):
        assert solving._early_uwrmaxsat(instance, options) is None
    fixed = make_instance([("a", "b"), ("a", "c")], n_slots=3, fixed={1: 1})
    assert solving._early_uwrmaxsat(fixed, strict) is None
    ordered = make_instance([("a", "b"), ("a", "c")], n_slots=3, precedences=(("m1", "m2"),))
    assert solving._early_uwrmaxsat(ordered, strict) is not None


def test_forum_13crafc_races_uwrmaxsat_and_ends_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SAT search for 0 breaks runs for seconds on forum-13crafc (optimum 1), so the child
    starts beside it; whichever engine wins, the schedule is optimal and valid, and no child
    outlives the solve."""
    contenders: list[MaxSatContender] = []
    original = solving._early_uwrmaxsat

    def spy(instance: MeetingInstance, options: SolveOptions) -> MaxSatContender | None:
        contender = original(instance, options)
        if contender is not None:
            contenders.append(contender)
        return contender

    monkeypatch.setattr(solving, "_early_uwrmaxsat", spy)
    instance = read_dzn(b2b_instances_dir() / "forum-13crafc.original.dzn")
    options = SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=2)
    result = solve(instance, options)
    assert result.status is Status.OPTIMAL and result.objective == 1
    assert validate(instance, result, require_all=True) == []
    assert [c.started for c in contenders] == [True]
    process = contenders[0]._process
    assert process is not None and process.returncode is not None
    assert result.solver in ("uwrmaxsat", "cp-sat")


def _spied_child(
    monkeypatch: pytest.MonkeyPatch,
) -> list[tuple[Answer, dict[int, int] | None]]:
    """The in-thread SAT search for 0 breaks runs out at once, UWrMaxSat's child never
    starts, and what CaDiCaL's child answers is recorded."""
    answers: list[tuple[Answer, dict[int, int] | None]] = []
    original = solving._zero_break_child

    def spy(*args: Any) -> tuple[Answer, dict[int, int] | None]:
        answers.append(original(*args))
        return answers[-1]

    monkeypatch.setattr(solving, "_zero_break", lambda *args: (Answer.UNKNOWN, None))
    monkeypatch.setattr(solving, "UWRMAXSAT_AFTER", LIMIT)
    monkeypatch.setattr(solving, "_zero_break_child", spy)
    return answers


def test_where_the_sat_search_runs_out_cadical_finds_the_schedule_before_the_race(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _spied_child(monkeypatch)

    def no_race(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a schedule without breaks needs no race")

    monkeypatch.setattr(solving, "race", no_race)
    instance = make_instance([("a", "b"), ("b", "c"), ("c", "d")], n_slots=4, tables=2)
    options = SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=2)
    result = solve(instance, options)
    assert [answer for answer, _ in answers] == [Answer.FOUND]
    assert result.status is Status.OPTIMAL and result.objective == 0 and result.solver == "sat"
    assert validate(instance, result, require_all=True) == []


def test_a_refutation_by_cadical_s_child_proves_a_break_and_the_race_goes_on(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _spied_child(monkeypatch)
    # A ring of four, each with slot 1 of 3 forbidden: one break each.
    ring = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]
    instance = make_instance(
        ring, n_slots=3, tables=2, forbidden={p: {1} for p in "abcd"}, fairness=None
    )
    assert brute_force_optimum(instance) == 4
    options = SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=2)
    result = solve(instance, options)
    assert answers == [(Answer.NONE, None)]
    assert result.status is Status.OPTIMAL and result.objective == 4
    assert validate(instance, result, require_all=True) == []


def test_cadical_s_child_stops_when_told_and_has_a_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ticf-13crafc: refuting 0 breaks takes CaDiCaL over a minute, so only the stop ends it.
    instance = read_dzn(b2b_instances_dir() / "ticf-13crafc.original.dzn")
    options = SolveOptions(time_limit_s=LIMIT, allow_unscheduled=False, workers=2)
    stop = threading.Event()
    stop.set()
    assert solving._zero_break_child(instance, options, stop) == (Answer.UNKNOWN, None)
    monkeypatch.setattr(solving, "ZERO_BREAK_CHILD_SECONDS", 0.0)

    def no_child(*args: Any) -> None:
        raise AssertionError("no child without a budget")

    monkeypatch.setattr(ZeroBreakProbe, "start", no_child)
    assert solving._zero_break_child(instance, options, None) == (Answer.UNKNOWN, None)
