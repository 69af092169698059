"""Each constraint family on a hand-made instance with a known optimum (cross-checked by
exhaustive enumeration), validated independently of the solver."""

from __future__ import annotations

import pytest

from scheduler.meetings import (
    DayPart,
    MeetingInstance,
    MeetingResult,
    Placement,
    SolveOptions,
    Status,
    Table,
    UnscheduledReason,
    solve,
    validate,
)

from .brute_force import brute_force_optimum
from .conftest import MakeInstance

STRICT = SolveOptions(time_limit_s=10, workers=2, allow_unscheduled=False)
OVERFLOW = SolveOptions(time_limit_s=10, workers=2, allow_unscheduled=True)


def solved(instance: MeetingInstance, options: SolveOptions = STRICT) -> MeetingResult:
    result = solve(instance, options)
    assert validate(instance, result, require_all=not options.allow_unscheduled) == []
    return result


def assert_optimum(instance: MeetingInstance, expected: int) -> MeetingResult:
    assert brute_force_optimum(instance) == expected
    result = solved(instance)
    assert result.status is Status.OPTIMAL
    assert result.objective == expected
    return result


def test_sessions_force_a_break(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")],
        n_slots=4,
        n_morning=2,
        day_parts={
            1: DayPart.MORNING,
            2: DayPart.AFTERNOON,
            3: DayPart.AFTERNOON,
            4: DayPart.MORNING,
        },
    )
    assert_optimum(inst, 1)


def test_forbidden_slots_count_as_idle(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c")], n_slots=3, forbidden={"b": {1, 2}, "c": {0, 1}})
    assert_optimum(inst, 1)


def test_forbidden_slot_between_meetings_is_a_break(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c")], n_slots=3, forbidden={"a": {1}})
    assert_optimum(inst, 1)


def test_fixed_meetings_stay_and_others_fill_the_gap(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c"), ("a", "d")], n_slots=3, fixed={1: 0, 2: 2})
    result = assert_optimum(inst, 0)
    assert result.assignments["m3"].slot == 1


def test_precedences_are_strict(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b"), ("b", "c"), ("c", "d")],
        n_slots=3,
        tables=1,
        precedences=(("m1", "m3"), ("m3", "m2")),
    )
    assert_optimum(inst, 1)
    free = make_instance([("a", "b"), ("b", "c"), ("c", "d")], n_slots=3, tables=1)
    assert_optimum(free, 0)


def test_fairness_bound(make_instance: MakeInstance) -> None:
    pairs = [("a", "b"), ("a", "c")]
    loose = make_instance(pairs, n_slots=3, forbidden={"b": {1, 2}, "c": {0, 1}}, fairness=1)
    assert_optimum(loose, 1)
    # a must have one break while b and c have none: no schedule is fair within 0.
    tight = make_instance(pairs, n_slots=3, forbidden={"b": {1, 2}, "c": {0, 1}}, fairness=0)
    assert brute_force_optimum(tight) is None
    assert solve(tight, STRICT).status is Status.INFEASIBLE


def test_fairness_changes_the_optimum(make_instance: MakeInstance) -> None:
    # Star around "a" with gaps forced on two sides; fairness 0 needs everyone at one break.
    pairs = [("a", "b"), ("a", "c"), ("b", "c"), ("b", "d"), ("c", "d")]
    unfair = make_instance(pairs, n_slots=5, tables=1, fairness=None)
    fair = make_instance(pairs, n_slots=5, tables=1, fairness=0)
    expected_unfair = brute_force_optimum(unfair)
    expected_fair = brute_force_optimum(fair)
    assert expected_unfair is not None and expected_fair is not None
    assert expected_fair > expected_unfair
    assert solved(unfair).objective == expected_unfair
    assert solved(fair).objective == expected_fair


def test_infeasible_triangle_in_two_slots(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("b", "c"), ("a", "c")], n_slots=2)
    result = solve(inst, STRICT)
    assert result.status is Status.INFEASIBLE
    assert result.infeasible_reason


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"fixed": {1: 2}, "n_morning": 2, "day_parts": {1: DayPart.MORNING}}, "outside"),
        ({"fixed": {1: 1}, "forbidden": {"b": {1}}}, "forbidden"),
        ({"forbidden": {"a": {0, 1, 2}}}, "usable slots"),
        ({"caps": {"a": 1}}, "cap"),
    ],
)
def test_cheap_infeasibility_reasons(
    make_instance: MakeInstance, kwargs: dict[str, object], fragment: str
) -> None:
    inst = make_instance([("a", "b"), ("a", "c")], n_slots=4, **kwargs)
    result = solve(inst, STRICT)
    assert result.status is Status.INFEASIBLE
    assert fragment in result.infeasible_reason


def test_overflow_keeps_the_higher_priority(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("d", "e")], n_slots=1, tables=1, priorities={1: 1, 2: 3, 3: 1}
    )
    result = solved(inst, OVERFLOW)
    assert result.status is Status.OPTIMAL
    assert set(result.assignments) == {"m2"}
    reasons = {u.meeting_id: u for u in result.unscheduled}
    assert reasons["m1"].reason is UnscheduledReason.PARTICIPANT_FULL
    assert reasons["m1"].participant_ids == ("a",)
    assert reasons["m3"].reason is UnscheduledReason.TABLES_FULL


def test_auto_mode_falls_back_to_overflow(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c"), ("b", "c")], n_slots=2)
    result = solve(inst, SolveOptions(time_limit_s=10))
    assert result.status is Status.OPTIMAL
    assert len(result.assignments) == 2
    assert len(result.unscheduled) == 1
    assert validate(inst, result) == []


def test_caps_limit_meetings(make_instance: MakeInstance) -> None:
    inst = make_instance(
        [("a", "b"), ("a", "c"), ("a", "d")],
        n_slots=3,
        caps={"a": 2},
        priorities={1: 1, 2: 2, 3: 3},
    )
    result = solved(inst, OVERFLOW)
    assert result.status is Status.OPTIMAL
    assert set(result.assignments) == {"m2", "m3"}
    assert result.objective == 0
    (left,) = result.unscheduled
    assert left.meeting_id == "m1"
    assert left.reason is UnscheduledReason.PARTICIPANT_FULL


def test_booth_meetings_use_the_booth_and_no_shared_table(make_instance: MakeInstance) -> None:
    tables = (Table("B1", reserved_for="e"), Table("T1"))
    inst = make_instance([("e", "a"), ("e", "b"), ("b", "c"), ("a", "c")], n_slots=2, tables=tables)
    result = assert_optimum(inst, 0)
    assert result.assignments["m1"].table == "B1"
    assert result.assignments["m2"].table == "B1"
    assert {result.assignments["m3"].table, result.assignments["m4"].table} == {"T1"}


def test_online_meetings_need_no_table(make_instance: MakeInstance) -> None:
    pairs = [("a", "b"), ("c", "d"), ("a", "c")]
    inst = make_instance(pairs, n_slots=2, tables=1, online=[2])
    result = assert_optimum(inst, 0)
    assert result.assignments["m2"].table is None
    in_person = make_instance(pairs, n_slots=2, tables=1)
    assert solve(in_person, STRICT).status is Status.INFEASIBLE


def test_tables_stay_with_participants(make_instance: MakeInstance) -> None:
    inst = make_instance([("a", "b"), ("a", "c"), ("d", "e"), ("d", "f")], n_slots=2, tables=2)
    result = solved(inst)
    assert result.table_changes == 0


# The large-event path (local search and neighbourhoods), which 3,000-participant re-solves take.
LARGE = SolveOptions(time_limit_s=3, workers=2, allow_unscheduled=True, large_event_threshold=0)


@pytest.mark.parametrize("options", [OVERFLOW, LARGE], ids=["exact", "large"])
def test_resolve_keeps_pins_and_moves_only_what_it_must(
    make_instance: MakeInstance, options: SolveOptions
) -> None:
    previous = {"m1": Placement(0, "T1"), "m2": Placement(1, "T1"), "m3": Placement(2, "T1")}
    pairs = [("a", "b"), ("a", "c"), ("a", "d"), ("a", "e")]
    # c became unavailable at slot 1 and a new meeting with e arrived.
    inst = make_instance(
        pairs,
        n_slots=4,
        tables=1,
        forbidden={"c": {1}},
        previous=previous,
        pinned=frozenset({"m1"}),
    )
    result = solved(inst, options)
    # Both paths prove it: the large one solves a small event as one neighbourhood.
    assert result.status is Status.OPTIMAL
    assert result.assignments["m1"] == result.assignments["m1"].__class__(0, "T1")
    assert result.moves == 1  # m2 must move; m3 stays
    assert result.objective == 0
    assert result.diff is not None
    assert result.diff.new == ("m4",)
    assert "m2" in result.diff.moved and "m3" not in result.diff.moved
    assert "m1" not in result.diff.moved


@pytest.mark.parametrize("options", [OVERFLOW, LARGE], ids=["exact", "large"])
def test_resolve_moves_a_published_meeting_to_place_a_new_one(
    make_instance: MakeInstance, options: SolveOptions
) -> None:
    # c can only meet in slot 0, where a already meets b: a-b moves to slot 1.
    inst = make_instance(
        [("a", "b"), ("a", "c")],
        n_slots=2,
        forbidden={"c": {1}},
        previous={"m1": Placement(0, "T1")},
    )
    result = solved(inst, options)
    assert set(result.assignments) == {"m1", "m2"}
    assert result.moves == 1
    assert result.diff is not None and result.diff.moved == ("m1",)


def test_resolve_reports_cancelled_meetings_as_dropped(make_instance: MakeInstance) -> None:
    previous = {"m1": Placement(0, "T1"), "gone": Placement(1, "T1")}
    inst = make_instance([("a", "b")], n_slots=2, previous=previous)
    result = solved(inst, OVERFLOW)
    assert result.diff is not None
    assert result.diff.dropped == ("gone",)
    assert result.moves == 0


@pytest.mark.parametrize("exact_event_pairs", [4_000, 0])
@pytest.mark.parametrize("allow_unscheduled", [True, None])
def test_overfull_event_places_the_most_meetings_either_way(
    make_instance: MakeInstance, exact_event_pairs: int, allow_unscheduled: bool | None
) -> None:
    # A triangle in two slots: one of its three meetings cannot fit; d-e always can.
    inst = make_instance([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e")], n_slots=2)
    options = SolveOptions(
        time_limit_s=3,
        workers=2,
        allow_unscheduled=allow_unscheduled,
        exact_event_pairs=exact_event_pairs,
    )
    result = solve(inst, options)
    assert validate(inst, result) == []
    assert len(result.assignments) == 3
    assert [u.reason for u in result.unscheduled] == [UnscheduledReason.PARTICIPANT_FULL]


@pytest.mark.parametrize("exact_event_pairs", [4_000, 0])
def test_event_where_everything_fits_gets_everything_either_way(
    make_instance: MakeInstance, exact_event_pairs: int
) -> None:
    inst = make_instance([("a", "b"), ("b", "c"), ("c", "d")], n_slots=3, tables=1)
    options = SolveOptions(time_limit_s=3, workers=2, exact_event_pairs=exact_event_pairs)
    result = solve(inst, options)
    assert validate(inst, result, require_all=True) == []
    assert result.objective == brute_force_optimum(inst) == 0


@pytest.mark.parametrize(
    ("pairs", "n_slots"),
    [
        # Everything fits without a break: the heuristics reach the ideal score.
        ([("a", "b"), ("b", "c"), ("c", "d")], 3),
        # A triangle in two slots: one meeting stays out, which only a proof shows is best.
        ([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e")], 2),
    ],
)
def test_the_large_path_stops_at_a_proven_optimum(
    make_instance: MakeInstance, pairs: list[tuple[str, str]], n_slots: int
) -> None:
    # A limit far beyond need: "optimal" can only come from the ideal score or from a
    # neighbourhood holding every meeting proven optimal, not from the limit.
    inst = make_instance(pairs, n_slots=n_slots, tables=2)
    options = SolveOptions(
        time_limit_s=120, workers=1, allow_unscheduled=True, large_event_threshold=0
    )
    result = solve(inst, options)
    assert result.status is Status.OPTIMAL
    assert validate(inst, result) == []
    # Everything placed without a break, or two of the triangle's three meetings placed.
    assert len(result.assignments) == len(pairs) - (n_slots == 2)
    assert result.objective == 0
