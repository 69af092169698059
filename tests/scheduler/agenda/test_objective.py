"""Soft terms on instances whose optimum can be worked out by hand."""

import pytest

from scheduler.agenda import (
    AgendaStatus,
    CoAttendance,
    Room,
    SolveOptions,
    Weights,
    solve,
)
from scheduler.agenda.validator import check_result

OPTIONS = SolveOptions(time_limit_s=60, workers=2)  # proofs take well under a second


def optimum(instance):
    result = solve(instance, OPTIONS)
    assert result.status == AgendaStatus.OPTIMAL
    assert check_result(instance, result).is_valid
    assert result.bound == result.objective
    return result


@pytest.mark.parametrize(("slots", "expected"), [(1, 21), (2, 5)])
def test_attendee_clash_weighted_by_co_attendance(make_instance, make_session, slots, expected):
    sessions = (make_session("a"), make_session("b"), make_session("c"))
    co = (CoAttendance("a", "b", 5), CoAttendance("a", "c", 7), CoAttendance("b", "c", 9))
    weights = Weights(
        attendee_clashes=1,
        theme_parallel=0,
        theme_room_changes=0,
        overflow_total=0,
        overflow_max=0,
        moves=0,
    )
    rooms = (Room("r1", "1", 10), Room("r2", "2", 10), Room("r3", "3", 10))
    # One slot: all three sessions overlap (5 + 7 + 9). Two slots: keep the pair of 9
    # apart and the pair of 7 apart by placing c alone: only a-b (5) clash.
    instance = make_instance(
        sessions, slots_per_day=slots, rooms=rooms, co_attendance=co, weights=weights
    )
    result = optimum(instance)
    assert result.terms.attendee_clashes == expected
    assert result.objective == expected


def test_clash_is_true_interval_overlap(make_instance, make_session):
    sessions = (make_session("a", length=2), make_session("b", length=1))
    weights = Weights(1, 0, 0, 0, 0, 0)
    co = (CoAttendance("a", "b", 4),)
    # Three slots: b fits before or after a, no clash.
    assert (
        optimum(
            make_instance(sessions, slots_per_day=3, co_attendance=co, weights=weights)
        ).objective
        == 0
    )
    # Two slots: a covers both, so b overlaps its second half whatever happens.
    assert (
        optimum(
            make_instance(sessions, slots_per_day=2, co_attendance=co, weights=weights)
        ).objective
        == 4
    )


def test_same_theme_in_parallel_and_room_changes(make_instance, make_session):
    sessions = tuple(make_session(s, theme="ai") for s in "abc")
    weights = Weights(0, 10, 1, 0, 0, 0)
    # Three themed sessions, two slots: one pair must run in parallel (10), and the two
    # parallel ones sit in two rooms, so the theme uses at least two rooms (1).
    result = optimum(make_instance(sessions, slots_per_day=2, weights=weights))
    assert result.terms.theme_parallel == 1
    assert result.terms.theme_room_changes == 1
    assert result.objective == 11
    # Three slots: all in sequence, all in one room.
    assert optimum(make_instance(sessions, slots_per_day=3, weights=weights)).objective == 0


def test_audience_overflow_total_and_worst(make_instance, make_session):
    sessions = (make_session("big", audience=100), make_session("small", audience=50))
    rooms = (Room("r1", "Large", 80), Room("r2", "Small", 40))
    # One slot, two rooms: big in Large (20) + small in Small (10) = 30 beats 60 + 0.
    total = optimum(
        make_instance(sessions, slots_per_day=1, rooms=rooms, weights=Weights(0, 0, 0, 1, 0, 0))
    )
    assert (total.objective, total.terms.overflow_total, total.terms.overflow_max) == (30, 30, 20)
    worst = optimum(
        make_instance(sessions, slots_per_day=1, rooms=rooms, weights=Weights(0, 0, 0, 0, 3, 0))
    )
    assert worst.objective == 60
    assert worst.terms.overflow_max == 20


def test_weights_trade_terms_off(make_instance, make_session):
    # Two sessions, one slot, rooms of 10 and 100: clash is unavoidable (2 x 3 = 6),
    # overflow is 90 - 10 = 80 if the big session takes the small room, else 0.
    sessions = (make_session("a", audience=90), make_session("b", audience=5))
    rooms = (Room("r1", "Tiny", 10), Room("r2", "Hall", 100))
    instance = make_instance(
        sessions,
        slots_per_day=1,
        rooms=rooms,
        co_attendance=(CoAttendance("a", "b", 2),),
        weights=Weights(3, 0, 0, 1, 0, 0),
    )
    assert optimum(instance).objective == 6
