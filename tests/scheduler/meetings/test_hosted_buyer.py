"""The tight hosted-buyer family (benchkit/meetings/hosted_buyer.py) and strict solves that
never come back empty-handed."""

from __future__ import annotations

import pytest

from benchkit.meetings.hosted_buyer import generate_hosted_buyer
from scheduler.meetings import DayPart, SolveOptions, Status, solve, validate
from scheduler.meetings.objective import count_breaks
from scheduler.meetings.schedule_result import build_result

from .conftest import MakeInstance


@pytest.mark.parametrize(("size", "seed"), [(12, 0), (40, 1), (300, 2)])
def test_the_planted_schedule_is_valid_without_breaks(size: int, seed: int) -> None:
    event = generate_hosted_buyer(size, seed=seed)
    inst = event.instance
    assert len(inst.participants) == size
    assert set(event.planted) == {m.id for m in inst.meetings}
    planted = build_result(inst, Status.FEASIBLE, event.planted, 0.0)
    assert validate(inst, planted, require_all=True) == []
    assert planted.objective == 0
    # Tables exactly at the peak demand, and the planted schedule reaches it.
    per_slot = [0] * inst.n_slots
    for s in event.planted.values():
        per_slot[s] += 1
    assert max(per_slot) == len(inst.tables)
    # Hosts sit at their table for one contiguous window, busy in every slot of it.
    for p in inst.participants:
        if p.id.startswith("h"):
            window = set(range(inst.n_slots)) - p.forbidden_slots
            busy = {event.planted[inst.meetings[m].id] for m in inst.meetings_of[p.id]}
            assert busy == window and count_breaks(window) == 0
    assert any(m.fixed_slot is not None for m in inst.meetings)
    assert any(m.day_part is DayPart.MORNING for m in inst.meetings)


def test_the_generator_is_seeded() -> None:
    assert generate_hosted_buyer(60, seed=4) == generate_hosted_buyer(60, seed=4)
    assert generate_hosted_buyer(60, seed=4) != generate_hosted_buyer(60, seed=5)


def test_longer_windows_give_more_meetings_and_keep_the_planted_schedule() -> None:
    default = generate_hosted_buyer(200, seed=3)
    event = generate_hosted_buyer(200, seed=3, windows=(6, 15))
    inst = event.instance
    assert inst.name.endswith("-w6-15") and not default.instance.name.endswith("-w4-12")
    assert len(inst.meetings) > len(default.instance.meetings)
    lengths = [
        inst.n_slots - len(p.forbidden_slots) for p in inst.participants if p.id.startswith("h")
    ]
    assert min(lengths) >= 6 and max(lengths) <= 15
    planted = build_result(inst, Status.FEASIBLE, event.planted, 0.0)
    assert validate(inst, planted, require_all=True) == [] and planted.objective == 0
    # The default windows draw the same events as before the option existed.
    assert generate_hosted_buyer(200, seed=3, windows=(4, 12)) == default


@pytest.mark.parametrize("windows", [(0, 5), (7, 6), (4, 25)])
def test_windows_out_of_the_day_are_refused(windows: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="windows"):
        generate_hosted_buyer(60, seed=0, windows=windows)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_small_event_is_solved_to_its_zero_break_optimum(seed: int) -> None:
    inst = generate_hosted_buyer(16, seed=seed).instance
    result = solve(inst, SolveOptions(time_limit_s=60, workers=2, allow_unscheduled=False))
    assert result.status is Status.OPTIMAL
    assert result.objective == 0 and result.gap == 0
    assert validate(inst, result, require_all=True) == []


def _odd_cycle(make_instance: MakeInstance):  # type: ignore[no-untyped-def]
    # Three people meeting pairwise need three slots; two exist. Nothing in the precheck
    # sees it, so only a search can tell.
    return make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=2, tables=3)


def test_strict_reports_infeasible_only_with_a_proof(make_instance: MakeInstance) -> None:
    inst = _odd_cycle(make_instance)
    result = solve(inst, SolveOptions(time_limit_s=30, workers=2, allow_unscheduled=False))
    assert result.status is Status.INFEASIBLE and not result.assignments


def test_strict_without_a_full_schedule_returns_the_best_partial_one(
    make_instance: MakeInstance,
) -> None:
    """The heuristic path cannot prove infeasibility: status unknown, yet a valid schedule
    of what it could place rather than nothing."""
    inst = _odd_cycle(make_instance)
    options = SolveOptions(time_limit_s=2, workers=1, allow_unscheduled=False, strict_exact_pairs=0)
    result = solve(inst, options)
    assert result.status is Status.UNKNOWN
    assert len(result.assignments) == 2
    assert validate(inst, result) == []
    assert [u.meeting_id for u in result.unscheduled] == [
        m.id for m in inst.meetings if m.id not in result.assignments
    ]
