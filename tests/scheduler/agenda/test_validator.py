"""The validator finds each kind of violation in hand-made agendas."""

import dataclasses

import pytest

from scheduler.agenda import (
    Availability,
    Pin,
    Placement,
    Room,
    SessionKind,
    SolveOptions,
    solve,
)
from scheduler.agenda.validator import check_result, validate_agenda


@pytest.fixture
def instance(make_instance, make_session):
    sessions = (
        make_session("a", length=2, speakers=("ann",)),
        make_session("b", speakers=("ann",), required_features=frozenset({"stream"})),
        make_session("k", kind=SessionKind.KEYNOTE, pinned=Pin("r1", 5)),
        make_session("t", start_slots=frozenset({0, 4}), moderators=("tom",)),
    )
    rooms = (Room("r1", "Studio", 100, frozenset({"stream"})), Room("r2", "Hall", 100))
    return make_instance(
        sessions,
        slots_per_day=6,
        rooms=rooms,
        blocked=frozenset({3}),
        min_pause=1,
        availability=(Availability("tom", frozenset({0, 1, 2})),),
    )


GOOD = (
    Placement("a", "r1", 0),
    Placement("b", "r1", 4),
    Placement("k", "r1", 5),
    Placement("t", "r2", 0),
)


def replaced(session, room, start):
    return tuple(Placement(session, room, start) if p.session == session else p for p in GOOD)


def test_a_good_agenda_passes(instance):
    report = validate_agenda(instance, GOOD)
    assert report.is_valid
    assert report.violations == ()


@pytest.mark.parametrize(
    ("placements", "rule"),
    [
        (GOOD[:3], "placement"),
        ((*GOOD, Placement("a", "r2", 4)), "placement"),
        ((*GOOD[:3], Placement("t", "nowhere", 0)), "placement"),
        (replaced("b", "r2", 4), "features"),
        (replaced("a", "r2", 5), "grid"),
        (replaced("t", "r2", 3), "blocked"),
        (replaced("t", "r2", 1), "start_slots"),
        (replaced("t", "r2", 4), "availability"),
        (replaced("k", "r2", 5), "pinned"),
        (replaced("t", "r1", 1), "room_double_booking"),
        (replaced("b", "r2", 1), "person_overlap"),
        (replaced("b", "r2", 2), "pause"),
        (replaced("a", "r2", 4), "exclusive"),
    ],
)
def test_each_violation_is_caught(instance, placements, rule):
    assert rule in validate_agenda(instance, placements).rules_broken()


def test_reported_values_must_match(instance):
    result = solve(instance, SolveOptions(time_limit_s=60, workers=2))
    assert check_result(instance, result).is_valid
    tampered = dataclasses.replace(
        result, terms=dataclasses.replace(result.terms, overflow_total=7)
    )
    assert check_result(instance, tampered).mismatches
    wrong_objective = dataclasses.replace(result, objective=(result.objective or 0) + 1)
    assert not check_result(instance, wrong_objective).is_valid
