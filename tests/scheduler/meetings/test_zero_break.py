"""The SAT search for a schedule without breaks (zero_break.py), alone and in strict solves."""

from __future__ import annotations

import time

import pytest

from benchkit.meetings.hosted_buyer import generate_hosted_buyer
from scheduler.meetings import SolveOptions, Status, solve, validate
from scheduler.meetings.objective import evaluate
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.zero_break import ZeroBreakProbe, runs_problem, solve_runs

from .conftest import MakeInstance


def _probe(instance, seconds: float = 120.0) -> ZeroBreakProbe:  # type: ignore[no-untyped-def]
    probe = ZeroBreakProbe.start(instance, time.perf_counter() + seconds)
    assert probe is not None
    probe.done.wait()
    return probe


@pytest.mark.parametrize(("size", "seed"), [(12, 0), (40, 1), (60, 2)])
def test_a_tight_event_gets_a_valid_schedule_without_breaks(size: int, seed: int) -> None:
    inst = generate_hosted_buyer(size, seed=seed).instance
    probe = _probe(inst)
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
    assert solve_runs(problem) is None
    probe = _probe(inst)
    assert probe.infeasible and probe.slots is None


def test_a_person_without_a_run_needs_no_search(make_instance: MakeInstance) -> None:
    # b's two meetings may only take slots 0 and 2: no run of two slots holds them.
    inst = make_instance([("a", "b"), ("b", "c")], n_slots=3, fixed={1: 0, 2: 2})
    problem = runs_problem(inst)
    assert problem is not None
    assert solve_runs(problem) is None


def test_tables_are_kept(make_instance: MakeInstance) -> None:
    # Two pairs, one table: they cannot meet at once, and each pair's run is one slot.
    inst = make_instance([("a", "b"), ("c", "d")], n_slots=2, tables=1)
    problem = runs_problem(inst)
    assert problem is not None
    slots = solve_runs(problem)
    assert slots is not None and sorted(slots) == [0, 1]
    one_slot = make_instance([("a", "b"), ("c", "d")], n_slots=1, tables=1)
    problem = runs_problem(one_slot)
    assert problem is not None and solve_runs(problem) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"online": [1]},
        {"precedences": (("m1", "m2"),)},
    ],
)
def test_what_the_encoding_does_not_cover_is_declined(
    make_instance: MakeInstance, kwargs: dict[str, object]
) -> None:
    inst = make_instance([("a", "b"), ("b", "c")], n_slots=3, **kwargs)
    assert runs_problem(inst) is None
    assert ZeroBreakProbe.start(inst, time.perf_counter() + 10) is None


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
    assert result.solver == "greedy+lns+sat"
    assert result.objective == 0 and len(result.assignments) == len(inst.meetings)
    assert validate(inst, result, require_all=True) == []
