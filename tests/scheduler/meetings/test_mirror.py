"""The day played backwards: where it scores every schedule the same, the exact model keeps
one schedule of each mirrored pair (MeetingModel._add_mirror_symmetry)."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduler.meetings import DayPart
from scheduler.meetings.model import MeetingModel
from scheduler.meetings.objective import evaluate

from .brute_force import brute_force_optimum
from .conftest import MakeInstance

PAIRS = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "e")]


@pytest.mark.parametrize(
    ("kwargs", "symmetric"),
    [
        ({}, True),
        ({"forbidden": {"a": {0, 4}}}, True),  # the first and the last slot: a mirror pair
        ({"forbidden": {"a": {0}}}, False),
        ({"day_parts": {1: DayPart.MORNING}, "n_morning": 2}, False),
        ({"fixed": {1: 2}}, True),  # the middle slot of five is its own mirror image
        ({"fixed": {1: 1}}, False),
        ({"precedences": (("m1", "m2"),)}, False),
    ],
)
def test_which_events_are_mirror_symmetric(
    make_instance: MakeInstance, kwargs: dict[str, object], symmetric: bool
) -> None:
    assert make_instance(PAIRS, n_slots=5, **kwargs).mirror_symmetric is symmetric


def _solve(model: MeetingModel, *, fixed_to_hints: bool = False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    solver.parameters.fix_variables_to_their_hinted_value = fixed_to_hints
    assert solver.solve(model.model) == cp_model.OPTIMAL
    return solver


@pytest.mark.parametrize(("tables", "n_slots"), [(1, 6), (2, 5), (2, 4)])
def test_the_model_keeps_the_optimum_of_a_symmetric_event(
    make_instance: MakeInstance, tables: int, n_slots: int
) -> None:
    inst = make_instance(PAIRS, n_slots=n_slots, tables=tables)
    model = MeetingModel(inst)
    assert model.mirrored is not None
    solver = _solve(model)
    plan = model.chosen_slots(solver)
    assert 2 * plan[model.mirrored] <= n_slots - 1
    assert solver.objective_value == evaluate(inst, plan).breaks == brute_force_optimum(inst)


def test_an_event_that_is_not_symmetric_is_left_as_it_is(make_instance: MakeInstance) -> None:
    inst = make_instance(PAIRS, n_slots=5, tables=2, forbidden={"e": {0}})
    model = MeetingModel(inst)
    assert model.mirrored is None
    assert _solve(model).objective_value == brute_force_optimum(inst)


def test_a_hint_in_the_second_half_is_mirrored(make_instance: MakeInstance) -> None:
    """The model keeps only the mirror image of this hint, so it hints that image: fixed to
    its hints, the model takes the mirrored schedule, with the same breaks."""
    inst = make_instance(PAIRS, n_slots=6, tables=2)
    model = MeetingModel(inst)
    assert model.mirrored == 0
    plan = {0: 5, 1: 3, 2: 2, 3: 4, 4: 1, 5: 0}
    model.add_hint(plan)
    solver = _solve(model, fixed_to_hints=True)
    mirrored = {m: 5 - s for m, s in plan.items()}
    assert model.chosen_slots(solver) == mirrored
    breaks = evaluate(inst, plan).breaks
    assert breaks > 0 and solver.objective_value == breaks == evaluate(inst, mirrored).breaks
