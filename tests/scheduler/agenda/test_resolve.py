"""Re-solving against a published agenda: pins hold, moves are minimal, the diff is right."""

from scheduler.agenda import AgendaStatus, Pin, Placement, Room, SolveOptions, Weights, solve
from scheduler.agenda.validator import check_result

OPTIONS = SolveOptions(time_limit_s=60, workers=2)  # proofs take well under a second
MOVES_ONLY = Weights(0, 0, 0, 0, 0, 1)


def test_new_session_fits_without_moves(make_instance, make_session):
    previous = (Placement("a", "r1", 0), Placement("b", "r1", 1))
    sessions = tuple(make_session(s) for s in "abc")
    instance = make_instance(sessions, slots_per_day=2, previous=previous, weights=MOVES_ONLY)
    result = solve(instance, OPTIONS)
    assert result.status == AgendaStatus.OPTIMAL
    assert check_result(instance, result).is_valid
    assert result.objective == 0
    assert result.diff is not None
    assert (result.diff.new, result.diff.moved, result.diff.unchanged) == (("c",), (), 2)


def test_pinned_newcomer_moves_exactly_one_session(make_instance, make_session):
    rooms = (Room("r1", "Only", 100),)
    previous = (Placement("a", "r1", 0), Placement("b", "r1", 1), Placement("gone", "r1", 2))
    sessions = (make_session("a"), make_session("b"), make_session("c", pinned=Pin("r1", 1)))
    instance = make_instance(
        sessions, slots_per_day=3, rooms=rooms, previous=previous, weights=MOVES_ONLY
    )
    result = solve(instance, OPTIONS)
    assert result.status == AgendaStatus.OPTIMAL
    assert check_result(instance, result).is_valid
    assert result.terms.moves == 1
    assert Placement("c", "r1", 1) in result.placements
    diff = result.diff
    assert diff.new == ("c",)
    assert diff.cancelled == ("gone",)
    assert [move.session for move in diff.moved] == ["b"]
    assert diff.unchanged == 1


def test_moves_weight_outweighs_small_gains(make_instance, make_session):
    # Moving b from the small room to the hall would save 10 overflow; a move costs 50.
    rooms = (Room("r1", "Small", 10), Room("r2", "Hall", 100))
    previous = (Placement("b", "r1", 0),)
    sessions = (make_session("b", audience=20),)
    instance = make_instance(
        sessions,
        slots_per_day=1,
        rooms=rooms,
        previous=previous,
        weights=Weights(0, 0, 0, 1, 0, 50),
    )
    result = solve(instance, OPTIONS)
    assert result.objective == 10
    assert result.terms.moves == 0
