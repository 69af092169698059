"""The first-fit agenda: hard rules always hold, it starts CP-SAT, and it is the answer
when CP-SAT finds nothing within the limit."""

import random

import pytest

from scheduler.agenda import (
    AgendaStatus,
    Availability,
    CoAttendance,
    Room,
    SessionKind,
    SolveOptions,
    Weights,
    solve,
)
from scheduler.agenda.greedy import greedy_agenda
from scheduler.agenda.prepared import prepare
from scheduler.agenda.validator import check_result, validate_agenda


def _random_instance(make_instance, make_session, seed):
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(8)]
    sessions = tuple(
        make_session(
            f"s{i:02d}",
            length=rng.choice((1, 1, 2)),
            kind=SessionKind.KEYNOTE if i < 2 else SessionKind.PARALLEL,
            speakers=tuple(rng.sample(people, rng.randint(0, 2))),
            audience=rng.randint(10, 150),
            theme=rng.choice((None, "energy", "health")),
        )
        for i in range(rng.randint(6, 14))
    )
    co = tuple(
        CoAttendance(a.id, b.id, rng.randint(1, 9))
        for i, a in enumerate(sessions)
        for b in sessions[i + 1 :]
        if rng.random() < 0.3
    )
    away = tuple(Availability(person, frozenset(rng.sample(range(8), 6))) for person in people[:3])
    rooms = (Room("r1", "Hall", 120), Room("r2", "Small", 40), Room("r3", "Mid", 80))
    return make_instance(
        sessions,
        slots_per_day=8,
        rooms=rooms,
        co_attendance=co,
        availability=away,
        min_pause=rng.choice((0, 1)),
        weights=Weights(),
    )


@pytest.mark.parametrize("seed", range(12))
def test_a_first_fit_agenda_breaks_no_hard_rule(make_instance, make_session, seed):
    instance = _random_instance(make_instance, make_session, seed)
    agenda = greedy_agenda(prepare(instance))
    if agenda is None:
        # On these draws first fit gets stuck only where no agenda exists at all.
        assert solve(instance, SolveOptions(time_limit_s=60, workers=1)).status == (
            AgendaStatus.INFEASIBLE
        )
        return
    assert {p.session for p in agenda} == {s.id for s in instance.sessions}
    assert validate_agenda(instance, agenda).violations == ()


def test_a_session_that_finds_no_room_goes_first_next_time(make_instance, make_session):
    # One room, three slots: taken longest first, the long session sits at 0-1 and the
    # short one, allowed only at 0 or 1, has nowhere to go; taken first, both fit.
    instance = make_instance(
        (
            make_session("long", length=2),
            make_session("short", start_slots=frozenset({0, 1})),
        ),
        slots_per_day=3,
        rooms=(Room("r1", "Room 1", 100),),
    )
    agenda = greedy_agenda(prepare(instance))
    assert agenda is not None
    assert validate_agenda(instance, agenda).violations == ()


def test_an_agenda_without_cost_is_optimal_at_once(make_instance, make_session):
    sessions = tuple(make_session(s, audience=50, theme="energy") for s in "abc")
    instance = make_instance(sessions, slots_per_day=4, weights=Weights())
    result = solve(instance, SolveOptions(time_limit_s=30, workers=1))
    assert result.status == AgendaStatus.OPTIMAL
    assert result.objective == 0 and result.bound == 0
    assert check_result(instance, result).is_valid
