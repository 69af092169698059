"""The validator catches each kind of violation in hand-made broken results."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from scheduler.meetings import (
    Assignment,
    DayPart,
    MeetingInstance,
    MeetingResult,
    Placement,
    Status,
    Table,
    Unscheduled,
    UnscheduledReason,
    validate,
)
from scheduler.meetings.schedule_result import participant_breaks

from .conftest import MakeInstance


def result_for(instance: MeetingInstance, plan: dict[str, tuple[int, str | None]]) -> MeetingResult:
    slots = {mid: s for mid, (s, _t) in plan.items()}
    breaks = participant_breaks(instance, slots)
    return MeetingResult(
        status=Status.FEASIBLE,
        objective=sum(breaks.values()),
        bound=None,
        seconds=0.0,
        assignments=MappingProxyType({m: Assignment(s, t) for m, (s, t) in plan.items()}),
        breaks=MappingProxyType(breaks),
        unscheduled=tuple(
            Unscheduled(m.id, UnscheduledReason.DISPLACED)
            for m in instance.meetings
            if m.id not in plan
        ),
    )


def kinds(instance: MeetingInstance, result: MeetingResult, **kwargs: bool) -> set[str]:
    return {v.kind for v in validate(instance, result, **kwargs)}


@pytest.fixture
def base(make_instance: MakeInstance) -> MeetingInstance:
    return make_instance([("a", "b"), ("a", "c"), ("c", "d")], n_slots=4, tables=2)


def test_valid_schedule_has_no_violation(base: MeetingInstance) -> None:
    result = result_for(base, {"m1": (0, "T1"), "m2": (1, "T1"), "m3": (2, "T1")})
    assert validate(base, result, require_all=True) == []


def test_missing_meeting_when_all_required(base: MeetingInstance) -> None:
    result = result_for(base, {"m1": (0, "T1"), "m2": (1, "T1")})
    assert kinds(base, result, require_all=True) == {"unscheduled"}
    assert kinds(base, result) == set()


def test_unexplained_unscheduled_meeting(base: MeetingInstance) -> None:
    result = replace(result_for(base, {"m1": (0, "T1"), "m2": (1, "T1")}), unscheduled=())
    assert "explanation" in kinds(base, result)


def test_double_booking(base: MeetingInstance) -> None:
    result = result_for(base, {"m1": (0, "T1"), "m2": (0, "T2"), "m3": (2, "T1")})
    assert "double_booking" in kinds(base, result)


def test_table_used_twice_and_capacity(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("c", "d"), ("e", "f")], n_slots=2, tables=2)
    twice = result_for(inst, {"m1": (0, "T1"), "m2": (0, "T1"), "m3": (1, "T1")})
    assert "table_twice" in kinds(inst, twice)
    over = result_for(inst, {"m1": (0, "T1"), "m2": (0, "T2"), "m3": (0, "T3")})
    assert {"capacity", "table"} <= kinds(inst, over)


def test_session_forbidden_fixed(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c")],
        n_slots=4,
        n_morning=2,
        day_parts={1: DayPart.MORNING},
        forbidden={"c": {0}},
        fixed={2: 3},
    )
    result = result_for(inst, {"m1": (2, "T1"), "m2": (0, "T1")})
    assert {"session", "forbidden", "fixed"} <= kinds(inst, result)


def test_precedence(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("c", "d")], n_slots=2, precedences=(("m1", "m2"),))
    same = result_for(inst, {"m1": (1, "T1"), "m2": (1, "T2")})
    assert "precedence" in kinds(inst, same)


def test_cap(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c")], n_slots=2, caps={"a": 1})
    assert "cap" in kinds(inst, result_for(inst, {"m1": (0, "T1"), "m2": (1, "T1")}))


def test_fairness(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c")], n_slots=3, fairness=0)
    result = result_for(inst, {"m1": (0, "T1"), "m2": (2, "T1")})
    assert kinds(inst, result) == {"fairness"}
    assert kinds(inst, result, check_fairness=False) == set()


def test_reported_numbers_must_match(base: MeetingInstance) -> None:
    good = result_for(base, {"m1": (0, "T1"), "m2": (2, "T1"), "m3": (3, "T1")})
    assert kinds(base, replace(good, objective=0)) == {"objective"}
    lying = replace(good, breaks=MappingProxyType({**good.breaks, "a": 0}))
    assert "breaks" in kinds(base, lying)


def test_booth_and_online_tables(make_instance: MakeInstance) -> None:
    tables = (Table("B1", reserved_for="e"), Table("T1"))
    inst = make_instance([("e", "a"), ("b", "c"), ("a", "b")], n_slots=2, tables=tables, online=[3])
    result = result_for(inst, {"m1": (0, "T1"), "m2": (0, "B1"), "m3": (1, "T1")})
    assert kinds(inst, result) >= {"booth", "table"}


def test_pinned_meeting_moved(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b")], n_slots=2, previous={"m1": Placement(0, "T1")}, pinned=frozenset({"m1"})
    )
    assert "pinned" in kinds(inst, result_for(inst, {"m1": (1, "T1")}))


def test_unknown_meeting_and_slot(base: MeetingInstance) -> None:
    result = result_for(base, {"m1": (0, "T1"), "m2": (1, "T1"), "m3": (2, "T1")})
    extra = replace(
        result, assignments=MappingProxyType({**result.assignments, "zz": Assignment(0, "T2")})
    )
    assert "unknown_meeting" in kinds(base, extra)
    bad_slot = replace(
        result, assignments=MappingProxyType({**result.assignments, "m3": Assignment(9, "T1")})
    )
    assert "slot_range" in kinds(base, bad_slot)
