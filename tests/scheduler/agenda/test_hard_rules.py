"""Each hard rule on a small instance, once satisfiable and once not."""

from scheduler.agenda import (
    AgendaResult,
    AgendaStatus,
    Availability,
    Pin,
    Room,
    SessionKind,
    SolveOptions,
    solve,
)
from scheduler.agenda.instance import AgendaInstance
from scheduler.agenda.validator import check_result

OPTIONS = SolveOptions(time_limit_s=60, workers=2)  # proofs take well under a second


def solved(instance: AgendaInstance) -> AgendaResult:
    result = solve(instance, OPTIONS)
    if result.has_agenda:
        report = check_result(instance, result)
        assert report.is_valid, report
    return result


def test_room_features_are_required(make_instance, make_session):
    rooms = (Room("r1", "Studio", 50, frozenset({"streaming"})), Room("r2", "Hall", 50))
    streamed = make_session("a", required_features=frozenset({"streaming"}))
    assert solved(make_instance((streamed,), rooms=rooms)).status == AgendaStatus.OPTIMAL
    hybrid = make_session("a", required_features=frozenset({"hybrid"}))
    assert solved(make_instance((hybrid,), rooms=rooms)).status == AgendaStatus.INFEASIBLE


def test_one_session_per_room_at_a_time(make_instance, make_session):
    rooms = (Room("r1", "Only", 10),)
    two = tuple(make_session(s, length=2) for s in "ab")
    assert solved(make_instance(two, rooms=rooms)).status == AgendaStatus.OPTIMAL
    three = tuple(make_session(s, length=2) for s in "abc")
    assert solved(make_instance(three, rooms=rooms)).status == AgendaStatus.INFEASIBLE


def test_sessions_fit_inside_one_day(make_instance, make_session):
    # Six slots in one room would hold three 2-slot sessions, two 3-slot days hold two.
    rooms = (Room("r1", "Only", 10),)
    two = tuple(make_session(s, length=2) for s in "ab")
    assert solved(make_instance(two, slots_per_day=3, days=2, rooms=rooms)).has_agenda
    three = tuple(make_session(s, length=2) for s in "abc")
    result = solved(make_instance(three, slots_per_day=3, days=2, rooms=rooms))
    assert result.status == AgendaStatus.INFEASIBLE


def test_breaks_are_never_crossed(make_instance, make_session):
    short = (make_session("a", length=1),)
    assert solved(make_instance(short, slots_per_day=3, blocked=frozenset({1}))).has_agenda
    long = (make_session("a", length=2),)
    result = solved(make_instance(long, slots_per_day=3, blocked=frozenset({1})))
    assert result.status == AgendaStatus.INFEASIBLE


def test_shared_people_never_overlap(make_instance, make_session):
    sessions = (
        make_session("a", length=2, speakers=("ann",)),
        make_session("b", length=2, moderators=("ann",)),
    )
    assert solved(make_instance(sessions, slots_per_day=4)).status == AgendaStatus.OPTIMAL
    assert solved(make_instance(sessions, slots_per_day=3)).status == AgendaStatus.INFEASIBLE
    panel = (make_session("a", length=2, speakers=("x",)), make_session("b", panellists=("x",)))
    assert solved(make_instance(panel, slots_per_day=2)).status == AgendaStatus.INFEASIBLE


def test_people_must_be_available_throughout(make_instance, make_session):
    sessions = (make_session("a", length=2, speakers=("ann",), moderators=("bob",)),)
    fits = (Availability("ann", frozenset({1, 2, 3})), Availability("bob", frozenset({0, 1, 2})))
    assert solved(make_instance(sessions, availability=fits)).status == AgendaStatus.OPTIMAL
    apart = (Availability("ann", frozenset({0, 1})), Availability("bob", frozenset({2, 3})))
    assert solved(make_instance(sessions, availability=apart)).status == AgendaStatus.INFEASIBLE


def test_minimum_pause_between_one_persons_sessions(make_instance, make_session):
    sessions = (make_session("a", speakers=("ann",)), make_session("b", speakers=("ann",)))
    assert solved(make_instance(sessions, slots_per_day=3, min_pause=1)).has_agenda
    result = solved(make_instance(sessions, slots_per_day=3, min_pause=2))
    assert result.status == AgendaStatus.INFEASIBLE


def test_pause_does_not_reach_into_the_next_day(make_instance, make_session):
    sessions = (make_session("a", speakers=("ann",)), make_session("b", speakers=("ann",)))
    result = solved(make_instance(sessions, slots_per_day=1, days=2, min_pause=3))
    assert result.status == AgendaStatus.OPTIMAL


def test_pinned_sessions_stay_put(make_instance, make_session):
    sessions = (make_session("a", pinned=Pin("r2", 3)), make_session("b"))
    result = solved(make_instance(sessions))
    assert result.status == AgendaStatus.OPTIMAL
    blocked_pin = (make_session("a", pinned=Pin("r1", 1)),)
    result = solved(make_instance(blocked_pin, blocked=frozenset({1})))
    assert result.status == AgendaStatus.INFEASIBLE
    assert "a" in result.message


def test_keynotes_run_alone(make_instance, make_session):
    sessions = (make_session("k", kind=SessionKind.KEYNOTE), make_session("b"))
    assert solved(make_instance(sessions, slots_per_day=2)).status == AgendaStatus.OPTIMAL
    assert solved(make_instance(sessions, slots_per_day=1)).status == AgendaStatus.INFEASIBLE


def test_start_slots_restrict_starts(make_instance, make_session):
    sessions = tuple(make_session(s, start_slots=frozenset({0})) for s in "ab")
    assert solved(make_instance(sessions)).status == AgendaStatus.OPTIMAL
    three = tuple(make_session(s, start_slots=frozenset({0})) for s in "abc")
    assert solved(make_instance(three)).status == AgendaStatus.INFEASIBLE
