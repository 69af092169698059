"""The span model (scheduler/meetings/span.py): one slot variable per meeting, idle slots
inside each participant's day as the objective, whole events and neighbourhoods."""

from __future__ import annotations

import time

from benchkit.meetings.hosted_buyer import generate_hosted_buyer
from scheduler.meetings import DayPart, MeetingInstance, SolveOptions, Status, solve, validate
from scheduler.meetings.objective import evaluate
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.span import SpanModel, idle_slots, span_walk
from scheduler.meetings.sweep import sweep_schedule

from .conftest import MakeInstance


def _errors(
    instance: MeetingInstance, plan: dict[int, int], check_fairness: bool = True
) -> list[str]:
    slots = {instance.meetings[m].id: s for m, s in plan.items()}
    result = build_result(instance, Status.FEASIBLE, slots, 0.0)
    return validate(instance, result, require_all=True, check_fairness=check_fairness)


def _idle(instance: MeetingInstance, plan: dict[int, int]) -> int:
    return sum(idle_slots(instance, plan, p.id) for p in instance.participants)


def test_a_tight_event_reaches_its_zero_idle_optimum() -> None:
    inst = generate_hosted_buyer(16, seed=1).instance
    answer = SpanModel(inst, {}, set(range(len(inst.meetings)))).solve(10, 2, 0)
    assert answer is not None
    plan, optimal = answer
    assert optimal
    assert len(plan) == len(inst.meetings)
    assert _idle(inst, plan) == 0
    assert evaluate(inst, plan).breaks == 0
    assert _errors(inst, plan) == []


def test_the_optimum_counts_idle_slots_where_none_is_avoidable(
    make_instance: MakeInstance,
) -> None:
    # Three people meeting pairwise in three slots: someone meets in the first and the last
    # slot, one idle slot between.
    inst = make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=3, tables=1)
    answer = SpanModel(inst, {}, {0, 1, 2}).solve(10, 2, 0)
    assert answer is not None
    plan, optimal = answer
    assert optimal and _idle(inst, plan) == 1
    assert _errors(inst, plan) == []


def test_a_neighbourhood_keeps_everything_else_and_every_rule(
    make_instance: MakeInstance,
) -> None:
    # b and d are busy elsewhere in slot 1 (m4 stays); m1 is morning-only, m2 fixed to slot
    # 3, m1 must precede m3, and m5 is online (no table).
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("a", "d"), ("b", "d"), ("c", "e")],
        n_slots=5,
        n_morning=2,
        tables=1,
        day_parts={1: DayPart.MORNING},
        fixed={2: 3},
        online=[5],
        precedences=(("m1", "m3"),),
    )
    start = {0: 0, 1: 3, 2: 4, 3: 1, 4: 0}
    assert _errors(inst, start) == []
    answer = SpanModel(inst, start, {0, 1, 2, 4}).solve(10, 2, 0)
    assert answer is not None
    moved, optimal = answer
    assert optimal and set(moved) == {0, 1, 2, 4}
    plan = {**start, **moved}
    assert plan[3] == 1
    assert _errors(inst, plan) == []
    # m1 can only take slot 0 (morning, b busy in 1), m3 follows it in 2 or 4 (d busy in 1,
    # the table taken in 3): a idles in slot 1 at best; c meets online next to slot 3.
    assert _idle(inst, plan) == 1


def test_the_walk_never_returns_a_worse_plan() -> None:
    inst = generate_hosted_buyer(60, seed=3).instance
    start = sweep_schedule(inst)
    if len(start) < len(inst.meetings):
        # The walk re-places placed meetings only; start from a complete plan.
        answer = SpanModel(inst, {}, set(range(len(inst.meetings)))).solve(5, 2, 0)
        assert answer is not None
        start = answer[0]
    movable = {m for m, meeting in enumerate(inst.meetings) if meeting.fixed_slot is None}
    walk = span_walk(inst, start, movable, time.perf_counter() + 1.0, 2, 0, lambda: False)
    assert evaluate(inst, walk.best) <= evaluate(inst, start)

    # The walk goes by fairness excess, then idle slots: never uphill on that order.
    def walked(plan: dict[int, int]) -> tuple[int, int]:
        return evaluate(inst, plan).excess, _idle(inst, plan)

    assert walked(walk.current) <= walked(start)
    for plan in (walk.best, walk.current):
        assert len(plan) == len(inst.meetings)
        # The sweep's start may break the fairness rule (its excess never grows, above);
        # every other rule holds.
        assert _errors(inst, plan, check_fairness=False) == []


def test_a_strict_solve_with_the_span_walk_places_every_meeting() -> None:
    inst = generate_hosted_buyer(40, seed=2).instance
    # It runs to its limit; at 0.4 s every meeting is already placed (seeds 2-4).
    options = SolveOptions(
        time_limit_s=2, workers=1, allow_unscheduled=False, strict_exact_pairs=0, span_walk=True
    )
    result = solve(inst, options)
    # Optimal when the whole-event neighbourhood proves it (small events are tried so).
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert len(result.assignments) == len(inst.meetings)
    assert validate(inst, result, require_all=True) == []
