"""The time sweep builds valid (if not optimal) schedules on every family."""

from __future__ import annotations

import random

import pytest

from benchkit.meetings.generator import generate_event
from benchkit.meetings.hosted_buyer import generate_hosted_buyer
from scheduler.meetings import DayPart, MeetingInstance, Status, Table, validate
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.sweep import sweep_schedule

from .conftest import MakeInstance


def _check(instance: MeetingInstance, plan: dict[int, int]) -> None:
    slots = {instance.meetings[m].id: s for m, s in plan.items()}
    result = build_result(instance, Status.FEASIBLE, slots, 0.0)
    assert validate(instance, result, check_fairness=False) == []


def test_constraints_of_small_events_hold(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e"), ("a", "e")],
        n_slots=5,
        n_morning=2,
        tables=(Table("T1"), Table("B", reserved_for="d")),
        forbidden={"b": {0}},
        caps={"a": 2},
        day_parts={4: DayPart.MORNING},
        fixed={5: 4},
        precedences=(("m1", "m3"),),
    )
    for seed in range(5):
        plan = sweep_schedule(inst, random.Random(seed))
        _check(inst, plan)
        assert plan[inst.meeting_index["m5"]] == 4
        a_count = sum(1 for m in plan if "a" in inst.meetings[m].participants)
        assert a_count <= 2


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_and_hosted_events(seed: int) -> None:
    for inst in (generate_event(120, seed=seed), generate_hosted_buyer(60, seed=seed).instance):
        plan = sweep_schedule(inst, random.Random(seed))
        _check(inst, plan)
        assert len(plan) >= 0.9 * len(inst.meetings)


def test_published_placements_are_kept(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("b", "c"), ("c", "d")], n_slots=4)
    plan = sweep_schedule(inst, start={0: 3, 2: 0})
    assert plan[0] == 3 and plan[2] == 0
    _check(inst, plan)
