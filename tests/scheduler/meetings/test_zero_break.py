"""The SAT search for a schedule without breaks (zero_break.py), alone and in strict solves."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
import time

import pytest
from pysat.formula import IDPool

from benchkit.data import b2b_instances_dir
from benchkit.meetings.hosted_buyer import generate_hosted_buyer
from scheduler.meetings import SolveOptions, Status, read_dzn, solve, validate
from scheduler.meetings.objective import evaluate
from scheduler.meetings.result import Progress
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.zero_break import (
    Answer,
    RunsProblem,
    ZeroBreakProbe,
    _follow,
    _slots,
    encode,
    per_slot_counts,
    runs_problem,
    search_here,
    solve_runs,
)

from .brute_force import brute_force_optimum
from .conftest import MakeInstance


def _probe(instance, seconds: float = 120.0) -> ZeroBreakProbe:  # type: ignore[no-untyped-def]
    probe = ZeroBreakProbe.start(instance, time.perf_counter() + seconds)
    assert probe is not None
    probe.done.wait()
    return probe


@pytest.mark.parametrize(("size", "seed"), [(12, 0), (40, 1), (60, 2), (300, 0)])
def test_a_tight_event_gets_a_valid_schedule_without_breaks(size: int, seed: int) -> None:
    inst = generate_hosted_buyer(size, seed=seed).instance
    probe = _probe(inst, 600.0)
    assert probe.slots is not None, probe.detail
    plan = {inst.meetings[m].id: s for m, s in probe.slots.items()}
    result = build_result(inst, Status.FEASIBLE, plan, 0.0)
    assert validate(inst, result, require_all=True) == []
    assert result.objective == 0
    assert evaluate(inst, probe.slots).breaks == 0


def test_an_odd_cycle_has_no_schedule_without_breaks(make_instance: MakeInstance) -> None:
    # Three people meeting pairwise take three slots; whoever is in the first and the last
    # meeting waits in between. Three slots and tables enough, so only breaks rule it out.
    inst = make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=3, tables=3)
    problem = runs_problem(inst)
    assert problem is not None
    assert solve_runs(problem) == (Answer.NONE, None)
    probe = _probe(inst)
    assert probe.infeasible and probe.slots is None


def test_a_person_without_a_run_needs_no_search(make_instance: MakeInstance) -> None:
    # b's two meetings may only take slots 0 and 2: no run of two slots holds them.
    inst = make_instance([("a", "b"), ("b", "c")], n_slots=3, fixed={1: 0, 2: 2})
    problem = runs_problem(inst)
    assert problem is not None
    assert encode(problem) is None
    assert solve_runs(problem) == (Answer.NONE, None)


def test_tables_are_kept(make_instance: MakeInstance) -> None:
    # Two pairs, one table: they cannot meet at once, and each pair's run is one slot.
    inst = make_instance([("a", "b"), ("c", "d")], n_slots=2, tables=1)
    problem = runs_problem(inst)
    assert problem is not None
    answer, slots = solve_runs(problem)
    assert answer is Answer.FOUND and slots is not None and sorted(slots) == [0, 1]
    one_slot = make_instance([("a", "b"), ("c", "d")], n_slots=1, tables=1)
    problem = runs_problem(one_slot)
    assert problem is not None and solve_runs(problem) == (Answer.NONE, None)


def test_who_is_surely_busy_counts_as_a_constant(make_instance: MakeInstance) -> None:
    # a meets b and c in both slots (busy in both whatever the schedule); b and c have one
    # meeting each, so exactly one of them is busy in each slot.
    problem = runs_problem(make_instance([("a", "b"), ("a", "c")], n_slots=2, tables=2))
    assert problem is not None
    encoded = encode(problem)
    assert encoded is not None
    answer, slots = solve_runs(problem)
    assert answer is Answer.FOUND and slots is not None and sorted(slots) == [0, 1]
    # The counts alone, with a surely busy on one side and nobody who can join the other.
    pool = IDPool()
    busy: dict[tuple[int, int], int | bool] = {(0, 0): True, (1, 0): False, (2, 0): False}
    two_sided = RunsProblem(n_slots=1, tables=1, ends=((0, 1), (0, 2)), allowed=((0,), (0,)))
    assert per_slot_counts(two_sided, 3, busy, pool) == [[]]
    busy[1, 0] = pool.id("b busy")
    counted = per_slot_counts(two_sided, 3, busy, pool)
    assert counted == [[busy[1, 0]]]  # b must be busy to balance a


def test_what_the_encoding_does_not_cover_is_declined(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("b", "c")], n_slots=3, online=[1])
    assert runs_problem(inst) is None
    assert ZeroBreakProbe.start(inst, time.perf_counter() + 10) is None


def test_precedences_are_kept(make_instance: MakeInstance) -> None:
    # A chain a-b, b-c, c-d over 3 slots has two schedules without breaks: the day forwards
    # or backwards. "m3 before m1" leaves the backward one.
    inst = make_instance(
        [("a", "b"), ("b", "c"), ("c", "d")], n_slots=3, precedences=(("m3", "m1"),)
    )
    problem = runs_problem(inst)
    assert problem is not None and problem.precedences == ((2, 0),)
    assert RunsProblem.from_json(problem.to_json()) == problem  # what the child reads
    for answer, slots in (solve_runs(problem), search_here(problem, 60.0)):
        assert answer is Answer.FOUND and slots is not None
        assert [slots[m] for m in range(3)] == [2, 1, 0]
    probe = _probe(inst)
    assert probe.slots is not None and probe.slots[2] < probe.slots[0]
    result = solve(inst, SolveOptions(time_limit_s=30, allow_unscheduled=False))
    assert (result.status, result.objective, result.solver) == (Status.OPTIMAL, 0, "sat")
    assert validate(inst, result, require_all=True) == []


def test_precedences_can_rule_out_a_schedule_without_breaks(make_instance: MakeInstance) -> None:
    # a's two meetings (m1, m2) would sit side by side, but d-e's meeting (m3) must come
    # between them.
    pairs = [("a", "b"), ("a", "c"), ("d", "e")]
    free = runs_problem(make_instance(pairs, n_slots=3, tables=1))
    assert free is not None and solve_runs(free)[0] is Answer.FOUND
    ordered = make_instance(pairs, n_slots=3, tables=1, precedences=(("m2", "m3"), ("m3", "m1")))
    problem = runs_problem(ordered)
    assert problem is not None
    assert solve_runs(problem) == (Answer.NONE, None)
    assert search_here(problem, 60.0) == (Answer.NONE, None)
    assert brute_force_optimum(ordered) == 1


def test_someone_with_very_many_meetings_is_declined(make_instance: MakeInstance) -> None:
    # Every meeting fixed to its own slot, so only the size of the hub's run matters.
    pairs = [("hub", f"p{k}") for k in range(201)]
    fixed = {k + 1: k for k in range(201)}
    assert runs_problem(make_instance(pairs, n_slots=201, tables=1, fixed=fixed)) is None
    problem = runs_problem(make_instance(pairs[:200], n_slots=200, tables=1, fixed=fixed))
    assert problem is not None
    assert solve_runs(problem) == (Answer.FOUND, list(range(200)))


def test_a_stopped_probe_ends_without_an_answer() -> None:
    inst = generate_hosted_buyer(300, seed=0).instance
    probe = ZeroBreakProbe.start(inst, time.perf_counter() + 600)
    assert probe is not None
    probe.stop()
    assert probe.done.is_set()
    assert probe.slots is None and not probe.infeasible
    assert probe.detail == "stopped"


@pytest.mark.parametrize(
    "options",
    [
        SolveOptions(time_limit_s=300, workers=2, allow_unscheduled=False, strict_exact_pairs=0),
        # Real events (meetings left out only if they do not all fit): the placement
        # relaxation keeps every meeting, so the probe runs there too.
        SolveOptions(time_limit_s=300, workers=2, exact_event_pairs=0),
    ],
    ids=["strict", "real-event"],
)
def test_a_large_path_solve_ends_at_the_probes_optimum(options: SolveOptions) -> None:
    """100 participants, 410 meetings: past the size the large path proves by itself, so
    only the probe can end the search at a proven optimum."""
    inst = generate_hosted_buyer(100, seed=0).instance
    result = solve(inst, options)
    assert result.status is Status.OPTIMAL
    assert result.solver == "greedy+lns+sat" and result.bound == 0 and result.gap == 0
    assert result.objective == 0 and len(result.assignments) == len(inst.meetings)
    assert validate(inst, result, require_all=True) == []


def test_a_large_path_solve_keeps_precedences_in_the_probes_schedule() -> None:
    # Orders the planted schedule (0 breaks) keeps: a schedule without breaks still exists.
    event = generate_hosted_buyer(100, seed=0)
    ids = sorted(event.planted)
    orders = tuple(
        (a, b) if event.planted[a] < event.planted[b] else (b, a)
        for a, b in zip(ids[:40:2], ids[1:40:2], strict=True)
        if event.planted[a] != event.planted[b]
    )
    inst = dataclasses.replace(event.instance, precedences=orders)
    assert len(orders) >= 10
    options = SolveOptions(time_limit_s=300, workers=2, allow_unscheduled=False)
    result = solve(inst, dataclasses.replace(options, strict_exact_pairs=0))
    assert (result.status, result.objective, result.solver) == (
        Status.OPTIMAL,
        0,
        "greedy+lns+sat",
    )
    assert validate(inst, result, require_all=True) == []


def test_the_search_in_this_thread_agrees_with_the_child(make_instance: MakeInstance) -> None:
    inst = generate_hosted_buyer(40, seed=1).instance
    problem = runs_problem(inst)
    assert problem is not None
    answer, slots = search_here(problem, 60.0)
    assert answer is Answer.FOUND and slots is not None
    assert evaluate(inst, slots).breaks == 0 and len(slots) == len(inst.meetings)
    odd = runs_problem(make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=3, tables=3))
    assert odd is not None
    assert search_here(odd, 60.0) == (Answer.NONE, None)


def test_a_cancelled_search_in_this_thread_has_no_answer() -> None:
    problem = runs_problem(generate_hosted_buyer(300, seed=0).instance)
    assert problem is not None
    cancel = threading.Event()
    cancel.set()
    assert search_here(problem, 600.0, cancel) == (Answer.UNKNOWN, None)


def test_a_solve_ended_by_the_search_reports_progress_once() -> None:
    inst = generate_hosted_buyer(16, seed=0).instance
    reports: list[Progress] = []
    options = SolveOptions(time_limit_s=60, workers=2, allow_unscheduled=False)
    result = solve(inst, options, progress=reports.append)
    assert result.solver == "sat" and result.objective == 0
    assert [(p.objective, p.bound) for p in reports] == [(0.0, 0.0)]


@pytest.mark.parametrize(("name", "optimum"), [("tic-12", 0), ("forumt-14crafd", 4)])
def test_strict_solves_of_jair_instances(name: str, optimum: int) -> None:
    """Optimum 0: the SAT search's schedule, before any CP-SAT model. Optimum 4: the search
    refutes 0 and CP-SAT proves the rest, at the paper's optimum either way."""
    inst = read_dzn(b2b_instances_dir() / f"{name}.original.dzn")
    result = solve(inst, SolveOptions(time_limit_s=300, workers=2, allow_unscheduled=False))
    assert result.status is Status.OPTIMAL and result.objective == optimum
    assert (result.solver == "sat") is (optimum == 0)
    assert validate(inst, result, require_all=True) == []


def test_the_child_stops_at_its_own_cpu_limit() -> None:
    """Should the solving process die without killing it, the child ends by itself."""
    problem = runs_problem(generate_hosted_buyer(300, seed=1).instance)
    assert problem is not None
    child = subprocess.run(
        [sys.executable, "-m", "scheduler.meetings.zero_break", "1"],
        input=problem.to_json(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert child.returncode != 0 and child.stdout == ""


def test_a_schedule_meeting_the_refuted_bound_is_optimal(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound proven before the race (here: the SAT search refutes 0 breaks) is not a
    constraint of the models; a schedule the race only calls feasible that meets it is
    optimal, and the bound is reported."""
    from ortools.sat.python import cp_model

    from scheduler.meetings import solving as solve_module

    inst = make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=3, tables=3)

    class StoppedEarly:  # what race() returns for a search stopped before its proof
        code = cp_model.FEASIBLE
        objective = 1.0

        def plan(self) -> dict[int, int]:
            return {0: 0, 1: 1, 2: 2}  # a waits between ab and ac: 1 break

    monkeypatch.setattr(
        solve_module, "_probe_lower_bound", lambda *args, **kwargs: (args[-1], None)
    )
    monkeypatch.setattr(solve_module, "race", lambda *args, **kwargs: (StoppedEarly(), 0.0))
    result = solve(inst, SolveOptions(time_limit_s=30, workers=2, allow_unscheduled=False))
    assert result.status is Status.OPTIMAL
    assert (result.objective, result.bound) == (1, 1.0)
    assert validate(inst, result, require_all=True) == []


def test_a_guide_keeps_the_run_of_whoever_has_one(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c"), ("b", "d")], n_slots=4, tables=4)
    problem = runs_problem(inst)
    assert problem is not None and problem.guide == ()
    index = inst.participant_index
    guided = problem.following({0: 1, 1: 2})  # b meets d nowhere yet
    assert [guided.guide[index[p]] for p in "abcd"] == [1, -1, 2, -1]
    broken = problem.following({0: 0, 1: 2, 2: 1})  # a waits in slot 1
    assert [broken.guide[index[p]] for p in "abcd"] == [-1, 0, 2, 1]
    assert RunsProblem.from_json(guided.to_json()) == guided


def _shifted(event, by: int) -> dict[int, int]:  # type: ignore[no-untyped-def]
    inst = event.instance
    return {inst.meeting_index[m]: (s + by) % inst.n_slots for m, s in event.planted.items()}


@pytest.mark.parametrize(
    ("shift", "conflicts"),
    [(0, 2_000), (1, 2_000), (3, 2_000), (1, 1)],
    ids=["planted", "shifted-1", "shifted-3", "no-conflicts-drop-the-guesses"],
)
def test_a_guided_search_finds_a_schedule_without_breaks_whatever_the_guide(
    shift: int, conflicts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A guide is a guess: runs that conflict are dropped, and when what is kept admits no
    schedule (with one conflict allowed, nothing is dropped) the search keeps everyone near
    their guided run."""
    import scheduler.meetings.zero_break as zero_break

    monkeypatch.setattr(zero_break, "GUIDE_CONFLICTS", conflicts)
    event = generate_hosted_buyer(60, seed=2)
    inst = event.instance
    problem = runs_problem(inst)
    assert problem is not None
    guided = problem.following(_shifted(event, shift))
    assert any(a >= 0 for a in guided.guide)
    answer, slots = solve_runs(guided)
    assert answer is Answer.FOUND and slots is not None
    plan = dict(enumerate(slots))
    assert evaluate(inst, plan).breaks == 0 and len(plan) == len(inst.meetings)
    named = {inst.meetings[m].id: s for m, s in plan.items()}
    result = build_result(inst, Status.FEASIBLE, named, 0.0)
    assert validate(inst, result, require_all=True) == []


@pytest.mark.parametrize("shift", [-1, 1])
def test_a_guide_a_slot_off_is_followed_within_one_slot(
    shift: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planted schedule shifted by a slot: everyone's run is one slot off the guide's,
    so keeping each guided participant within one slot of it (nothing dropped, one conflict
    allowed) leaves a schedule without breaks, found without the whole search."""
    import scheduler.meetings.zero_break as zero_break

    monkeypatch.setattr(zero_break, "GUIDE_CONFLICTS", 1)
    event = generate_hosted_buyer(60, seed=2)
    inst = event.instance
    problem = runs_problem(inst)
    assert problem is not None
    guided = problem.following(_shifted(event, shift))
    encoded = encode(guided)
    assert encoded is not None
    clauses, x, runs = encoded
    assert _follow(guided, clauses, runs, 0) == (Answer.UNKNOWN, None)  # the guided runs: none
    answer, model = _follow(guided, clauses, runs, 1)
    assert answer is Answer.FOUND and model is not None
    plan = dict(enumerate(_slots(guided, x, model)))
    assert evaluate(inst, plan).breaks == 0 and len(plan) == len(inst.meetings)
    named = {inst.meetings[m].id: s for m, s in plan.items()}
    assert validate(inst, build_result(inst, Status.FEASIBLE, named, 0.0), require_all=True) == []


def test_a_guide_far_off_is_given_up_without_a_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three slots off and nothing dropped (one conflict allowed): neither the guide's runs
    nor those within a slot of them admit a schedule. The guided search then ends with
    "unknown", not "none": a schedule without breaks exists, and the whole problem is the
    unguided search's."""
    import scheduler.meetings.zero_break as zero_break

    monkeypatch.setattr(zero_break, "GUIDE_CONFLICTS", 1)
    event = generate_hosted_buyer(60, seed=2)
    problem = runs_problem(event.instance)
    assert problem is not None
    assert solve_runs(problem.following(_shifted(event, 3))) == (Answer.UNKNOWN, None)
    answer, slots = solve_runs(problem)
    assert answer is Answer.FOUND and slots is not None


def test_a_guide_makes_no_schedule_where_none_exists(make_instance: MakeInstance) -> None:
    problem = runs_problem(make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=3, tables=3))
    assert problem is not None
    assert solve_runs(problem.following({0: 0, 1: 1, 2: 2})) == (Answer.NONE, None)


def _silent_first_search(
    monkeypatch: pytest.MonkeyPatch, events: list[str], followed: list[ZeroBreakProbe]
) -> None:
    """Replaces the first search by one that never answers; ``events`` records its stop and
    the guided searches it starts (``followed``), which are real."""

    class Silent:  # the first search: still running when it is stopped
        def __init__(self, problem: RunsProblem, deadline: float) -> None:
            self.problem, self.deadline = problem, deadline
            self.done = threading.Event()
            self.slots: dict[int, int] | None = None
            self.infeasible = False

        def follow(self, slots: dict[int, int], seed: int = 0) -> ZeroBreakProbe:
            assert slots  # the annealing's schedule
            events.append(f"follow with seed {seed}")
            problem = self.problem.following(slots, seed)
            assert problem.seed == seed
            followed.append(ZeroBreakProbe(problem, self.deadline))
            return followed[-1]

        def stop(self) -> None:
            events.append("stop")
            self.done.set()

    def start(instance, deadline):  # type: ignore[no-untyped-def]
        problem = runs_problem(instance)
        assert problem is not None
        return Silent(problem, deadline)

    monkeypatch.setattr(ZeroBreakProbe, "start", staticmethod(start))


def test_a_large_path_solve_takes_the_guided_searchs_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first search never answers here. At its share of the limit each guided search
    (``GUIDED``) follows the annealing's schedule with its own CaDiCaL seed, the first one
    taking the first search's core (it is stopped); the solve ends with their schedule (the
    annealing waits for them once the last has started)."""
    import scheduler.meetings.large_event as large_event

    events: list[str] = []
    followed: list[ZeroBreakProbe] = []
    _silent_first_search(monkeypatch, events, followed)
    # Both follow as soon as the annealing starts (after the restarts), and the annealing
    # waits for them until the end.
    monkeypatch.setattr(large_event, "GUIDED", ((0.0, 1), (0.0, 0)))
    monkeypatch.setattr(large_event, "FOLLOW_UNTIL", 1.0)
    inst = generate_hosted_buyer(100, seed=0).instance
    # Up to the limit on meetings, included.
    monkeypatch.setattr(large_event, "FOLLOW_MAX_MEETINGS", len(inst.meetings))
    options = SolveOptions(
        time_limit_s=20, workers=2, allow_unscheduled=False, strict_exact_pairs=0
    )
    result = solve(inst, options)
    assert events[:2] == ["stop", "follow with seed 1"]
    assert "follow with seed 0" in events and len(followed) == 2
    assert any(f.slots is not None for f in followed)
    assert all(f.done.is_set() for f in followed)
    assert result.status is Status.OPTIMAL and result.solver == "greedy+lns+sat"
    assert result.objective == 0 and validate(inst, result, require_all=True) == []


def test_no_guided_search_above_the_limit_on_meetings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above ``FOLLOW_MAX_MEETINGS`` the first search runs to the end (it is stopped only
    once the solve is over) and nothing follows the annealing; the solve returns the
    annealing's full schedule."""
    import scheduler.meetings.large_event as large_event

    events: list[str] = []
    followed: list[ZeroBreakProbe] = []
    _silent_first_search(monkeypatch, events, followed)
    monkeypatch.setattr(large_event, "GUIDED", ((0.0, 1), (0.0, 0)))
    inst = generate_hosted_buyer(100, seed=0).instance
    monkeypatch.setattr(large_event, "FOLLOW_MAX_MEETINGS", len(inst.meetings) - 1)
    options = SolveOptions(
        time_limit_s=10, workers=2, allow_unscheduled=False, strict_exact_pairs=0
    )
    result = solve(inst, options)
    assert events == ["stop"] and followed == []
    assert len(result.assignments) == len(inst.meetings)
    assert validate(inst, result, require_all=True) == []


def test_a_seeded_search_finds_a_schedule_without_breaks_too() -> None:
    """CaDiCaL's seed (what makes two guided searches of one guide differ) reaches the
    child and changes nothing about the answer."""
    event = generate_hosted_buyer(60, seed=2)
    inst = event.instance
    problem = runs_problem(inst)
    assert problem is not None
    for guided in (dataclasses.replace(problem, seed=7), problem.following(_shifted(event, 1), 7)):
        assert guided.seed == 7 and RunsProblem.from_json(guided.to_json()) == guided
        answer, slots = solve_runs(guided)
        assert answer is Answer.FOUND and slots is not None
        plan = dict(enumerate(slots))
        assert evaluate(inst, plan).breaks == 0 and len(plan) == len(inst.meetings)
