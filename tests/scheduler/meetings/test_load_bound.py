"""The lower bound on breaks from the slots' table load (load_bound.py)."""

from __future__ import annotations

import random

import pytest
from ortools.sat.python import cp_model

from benchkit.data import b2b_instances_dir
from benchkit.meetings.bench import reference_optima
from scheduler.meetings import read_dzn
from scheduler.meetings.instance import Meeting, MeetingInstance, Participant, Table
from scheduler.meetings.load_bound import load_lower_bound, pattern_classes
from scheduler.meetings.model import MeetingModel

from .conftest import MakeInstance

BENCH = b2b_instances_dir()


def _random_event(seed: int) -> MeetingInstance:
    """Eight people, twelve meetings, five slots, three tables: tight enough that the
    tables force breaks on some seeds."""
    rng = random.Random(seed)
    people = [f"p{k}" for k in range(8)]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < 12:
        a, b = sorted(rng.sample(people, 2))
        pairs.add((a, b))
    return MeetingInstance(
        participants=tuple(Participant(p) for p in people),
        meetings=tuple(
            Meeting(id=f"m{k}", participant_a=a, participant_b=b)
            for k, (a, b) in enumerate(sorted(pairs))
        ),
        n_slots=5,
        n_morning_slots=5,
        tables=tuple(Table(f"t{k}") for k in range(3)),
    )


def _optimum(instance: MeetingInstance) -> float | None:
    model = MeetingModel(instance)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    code = solver.solve(model.model)
    assert code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return solver.objective_value if code == cp_model.OPTIMAL else None


def test_the_bound_never_exceeds_the_optimum() -> None:
    """Over small random events, against the exact model's optimum; on some of them the
    tables force a break, and the bound sees it."""
    positive = 0
    for seed in range(30):
        instance = _random_event(seed)
        bound = load_lower_bound(instance, 5.0)
        optimum = _optimum(instance)
        if optimum is not None:
            assert bound <= optimum
            positive += bound > 0
    assert positive >= 2  # seeds 3 and 20: bound 1, optimum 1


@pytest.mark.skipif(not BENCH.exists(), reason="benchmark instances not available")
@pytest.mark.parametrize("name", ["tic-13crafc", "forumt-14", "forumt-14crafe", "tic-13"])
def test_the_bound_on_jair_instances_is_their_optimum(name: str) -> None:
    """tic-13crafc's optimum (4) took the exact model a minute to prove; the forumt
    instances' optima are 4-5; tic-13 has a schedule without breaks."""
    instance = read_dzn(BENCH / f"{name}.original.dzn")
    assert load_lower_bound(instance, 10.0) == reference_optima(BENCH)[name]


def test_participants_alike_share_a_class(make_instance: MakeInstance) -> None:
    # a and d each meet two people; b, c, e, f one each; all may use every slot.
    pairs = [("a", "b"), ("a", "c"), ("d", "e"), ("d", "f")]
    classes = pattern_classes(make_instance(pairs, n_slots=4, fairness=2))
    assert classes is not None
    assert sorted(classes.values()) == [2, 4]
    assert {(n, usable, limit) for n, usable, _fixed, limit in classes} == {
        (2, (0, 1, 2, 3), 2),
        (1, (0, 1, 2, 3), 2),
    }


def test_a_fixed_meeting_keeps_its_slot_busy(make_instance: MakeInstance) -> None:
    classes = pattern_classes(make_instance([("a", "b"), ("a", "c")], n_slots=4, fixed={1: 3}))
    assert classes is not None
    assert {fixed for _n, _usable, fixed, _limit in classes} == {frozenset({3}), frozenset()}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"online": [1]},
        {"tables": (Table("t1", reserved_for="a"), Table("t2"))},
        {"forbidden": {"a": {0, 1, 2, 3}}},  # a meeting without an allowed slot
        {"n_slots": 40},  # a's 20 meetings in 40 slots: too many patterns to list
    ],
)
def test_where_the_relaxation_does_not_apply(
    make_instance: MakeInstance, kwargs: dict[str, object]
) -> None:
    pairs = [("a", f"p{k}") for k in range(20)] if "n_slots" in kwargs else [("a", "b")]
    instance = make_instance(pairs, **{"n_slots": 4, **kwargs})
    assert pattern_classes(instance) is None
    assert load_lower_bound(instance, 1.0) == 0
