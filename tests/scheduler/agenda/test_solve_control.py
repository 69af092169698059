"""Progress reports, cancellation and input checks around solve()."""

import random
import threading

import pytest

from scheduler.agenda import (
    AgendaStatus,
    CoAttendance,
    InvalidAgendaInstance,
    Pin,
    Room,
    SolveOptions,
    Weights,
    solve,
)
from scheduler.agenda.validator import check_result


@pytest.fixture
def hard_instance(make_instance, make_session):
    """Forty sessions with random sign-up overlaps: far from solved within a second."""
    rng = random.Random(5)
    sessions = tuple(make_session(f"s{i:02d}", length=rng.choice((1, 2))) for i in range(40))
    co = tuple(
        CoAttendance(a.id, b.id, rng.randint(1, 30))
        for i, a in enumerate(sessions)
        for b in sessions[i + 1 :]
    )
    rooms = tuple(Room(f"r{i}", f"Room {i}", 100) for i in range(4))
    return make_instance(
        sessions, slots_per_day=16, rooms=rooms, co_attendance=co, weights=Weights(1, 0, 0, 0, 0, 0)
    )


def test_cancel_stops_the_search(hard_instance):
    # With a ten-minute limit and no proof, "stopped" can only come from the cancel.
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    result = solve(hard_instance, SolveOptions(time_limit_s=600, workers=2), cancel=cancel)
    assert result.stopped
    assert result.status in (AgendaStatus.FEASIBLE, AgendaStatus.UNKNOWN)


def test_progress_reports_improving_solutions(make_instance, make_session):
    seen = []
    sessions = tuple(make_session(s, audience=50) for s in "abcd")
    rooms = (Room("r1", "Small", 10), Room("r2", "Hall", 100))
    instance = make_instance(
        sessions, slots_per_day=2, rooms=rooms, weights=Weights(0, 0, 0, 1, 0, 0)
    )
    result = solve(instance, SolveOptions(time_limit_s=5, workers=1), progress=seen.append)
    assert result.objective == 80
    assert seen
    assert all(p.objective >= p.bound and p.elapsed_s >= 0 for p in seen)
    assert seen[-1].objective == 80


def test_time_limit_without_solution_is_the_first_fit_agenda(hard_instance):
    result = solve(hard_instance, SolveOptions(time_limit_s=0.001, workers=1))
    # CP-SAT has no time to find an agenda; first fit has found one.
    assert result.status == AgendaStatus.FEASIBLE
    assert len(result.placements) == len(hard_instance.sessions)
    assert check_result(hard_instance, result).is_valid


def test_bad_input_names_the_field(make_instance, make_session):
    with pytest.raises(InvalidAgendaInstance) as error:
        make_instance((make_session("a", pinned=Pin("nowhere", 0)),))
    assert error.value.field == "sessions[a].pinned.room"
    with pytest.raises(InvalidAgendaInstance) as error:
        make_instance((make_session("a", length=9),))
    assert error.value.field == "sessions[a].length"
