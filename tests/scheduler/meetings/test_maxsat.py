"""The MaxSAT engine: optimal values against a brute force and CP-SAT, validator-checked
schedules, infeasibility only with the SAT solver's proof."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading

import pytest

from benchkit.data import b2b_instances_dir
from scheduler.meetings import (
    DayPart,
    MeetingInstance,
    Progress,
    SolveOptions,
    Status,
    read_dzn,
    solve,
    validate,
)
from scheduler.meetings import maxsat as maxsat_module
from scheduler.meetings.child import reaped, start_child
from scheduler.meetings.json_format import instance_to_dict
from scheduler.meetings.maxsat import MaxSatContender, MaxSatOptions, MaxSatSearch, run_maxsat
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


# The contender searches in a child process (child.py), which the race can always kill.


def _race_alone(
    contender: MaxSatContender, stop_on_first_bound: bool = False
) -> tuple[MaxSatContender, list[Progress]]:
    reports: list[Progress] = []
    stop = threading.Event()

    def progress(report: Progress) -> None:
        reports.append(report)
        if stop_on_first_bound:
            stop.set()

    contender.run(LIMIT, stop, seed=0, log=False, progress=progress, interval_s=1.0)
    return contender, reports


def test_the_child_proves_the_optimum_and_reports_its_bounds(make_instance: MakeInstance) -> None:
    pairs = [("a", "b"), ("a", "c")]
    instance = make_instance(pairs, n_slots=3, forbidden={"b": {1, 2}, "c": {0, 1}}, fairness=1)
    contender, reports = _race_alone(MaxSatContender(instance))
    assert contender.proven and contender.has_solution and contender.objective == 1
    assert [report.bound for report in reports] == [1.0]
    slots = {instance.meetings[m].id: s for m, s in contender.plan().items()}
    result = build_result(instance, Status.OPTIMAL, slots, 0.0, solver="maxsat")
    assert validate(instance, result, require_all=True) == []
    assert result.objective == 1


def test_the_child_reads_fixed_meetings_and_precedences(make_instance: MakeInstance) -> None:
    # What the JSON hand-over must keep: one side's meeting fixed late, an order, day parts.
    instance = make_instance(
        [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")],
        n_slots=4,
        n_morning=2,
        fixed={1: 3},
        day_parts={3: DayPart.MORNING},
        precedences=(("m4", "m2"),),
        fairness=None,
    )
    expected = brute_force_optimum(instance)
    assert expected is not None
    contender, _ = _race_alone(MaxSatContender(instance))
    assert contender.has_solution and contender.objective == expected
    plan = contender.plan()
    assert plan[0] == 3 and plan[3] < plan[1] and plan[2] < 2


def test_a_contender_stopped_mid_search_kills_its_child_and_keeps_the_bound() -> None:
    # tic-13crafc: RC2 proves "at least 1" at once and the optimum 4 only after tens of
    # seconds, so the stop lands while the child searches.
    instance = read_dzn(b2b_instances_dir() / "tic-13crafc.original.dzn")
    contender, reports = _race_alone(MaxSatContender(instance), stop_on_first_bound=True)
    assert reports and contender.outcome is not None
    assert contender.outcome.status is Status.UNKNOWN and contender.outcome.detail == "stopped"
    assert not contender.proven and contender.plan() == {}
    assert contender.bound is not None and contender.bound >= 1


def test_a_contender_stopped_before_it_starts_runs_no_child(make_instance: MakeInstance) -> None:
    stop = threading.Event()
    stop.set()
    contender = MaxSatContender(_random_instance(make_instance, 0))
    contender.run(LIMIT, stop, seed=0, log=False, progress=None, interval_s=1.0)
    assert contender.outcome is not None and contender.outcome.detail == "stopped"
    assert not contender.proven and contender.bound is None


def test_the_child_ends_by_itself_at_its_time_limit() -> None:
    """Should the solving process die without killing it, the child still ends: RC2 is
    interrupted at its limit, or the kernel ends it at its CPU limit."""
    instance = read_dzn(b2b_instances_dir() / "tic-13crafc.original.dzn")
    child = subprocess.run(
        [sys.executable, "-m", "scheduler.meetings.maxsat", "1"],
        input=json.dumps(instance_to_dict(instance)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [json.loads(line) for line in child.stdout.splitlines()]
    answers = [line for line in lines if "status" in line]
    if child.returncode == 0:
        assert answers and answers[-1]["status"] == "unknown"
    else:
        assert answers == []


def test_a_child_that_answers_nonsense_is_killed(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line that is not the child's JSON ends the search at once instead of waiting for
    the child's own limit (here a child that would sleep ten minutes)."""
    children: list[subprocess.Popen[str]] = []

    def nonsense(module: str, *args: str) -> subprocess.Popen[str]:
        code = "import time; print('not json', flush=True); time.sleep(600)"
        child = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        children.append(child)
        return child

    monkeypatch.setattr(maxsat_module, "start_child", nonsense)
    contender, _ = _race_alone(MaxSatContender(_random_instance(make_instance, 0)))
    assert contender.outcome is not None and contender.outcome.status is Status.UNKNOWN
    assert not contender.proven and contender.plan() == {}
    assert [child.returncode for child in children] == [-signal.SIGKILL]


def test_a_child_that_died_with_text_still_buffered_for_it_is_reaped_quietly() -> None:
    """What the race's contender does on leaving its child: closing a stdin that holds text
    for a dead child flushes into a broken pipe, which ``with process`` raises (seen once,
    a child killed while its instance was still being written)."""
    process = start_child("scheduler.meetings.maxsat", "1")
    assert process.stdin is not None
    process.kill()
    process.wait()
    process.stdin.write("{}")  # buffered: written only when stdin is flushed or closed
    with pytest.raises(BrokenPipeError), process:
        pass  # Popen's own exit, for the record
    process = start_child("scheduler.meetings.maxsat", "1")
    assert process.stdin is not None
    process.kill()
    process.wait()
    process.stdin.write("{}")
    with reaped(process):
        pass
    assert process.returncode == -signal.SIGKILL
    assert process.stdin.closed and process.stdout is not None and process.stdout.closed
