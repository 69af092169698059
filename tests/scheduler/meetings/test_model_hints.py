"""The exact model's hints (MeetingModel.add_hint): a whole, consistent assignment."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.meetings.model import MeetingModel
from scheduler.meetings.objective import evaluate

from .conftest import MakeInstance

PAIRS = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "e")]


def test_a_hinted_schedule_is_what_the_model_takes_when_fixed_to_its_hints(
    make_instance: MakeInstance,
) -> None:
    """Fixed to its hints, the model must accept them as they are: every meeting, busy and
    start Boolean hinted, and hinted consistently with the schedule (else: infeasible)."""
    inst = make_instance(PAIRS, n_slots=6, tables=2)
    plan = {0: 0, 1: 2, 2: 3, 3: 1, 4: 4, 5: 5}  # with breaks: the start Booleans matter
    model = MeetingModel(inst)
    model.add_hint(plan)
    hint = model.model.proto.solution_hint
    hinted = set(hint.vars)
    assert len(hinted) == len(hint.vars) == len(hint.values)
    assert {v.index for v in model.x.values()} | {v.index for v in model.busy.values()} <= hinted
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(model.model) == cp_model.OPTIMAL
    assert model.chosen_slots(solver) == plan
    breaks = evaluate(inst, plan).breaks
    assert breaks > 0 and solver.objective_value == breaks


def test_a_negated_literal_is_hinted_as_or_tools_does() -> None:
    ours, theirs = cp_model.CpModel(), cp_model.CpModel()
    for model in (ours, theirs):
        model.new_bool_var("b")
        model.new_bool_var("c")
    b, c = (theirs.get_bool_var_from_proto_index(i) for i in (0, 1))
    theirs.add_hint(~b, True)
    theirs.add_hint(c, False)
    holder = MeetingModel.__new__(MeetingModel)
    holder.model = ours
    holder._set_hints([(~b, True), (c, False)])  # type: ignore[list-item]
    mine, reference = ours.proto.solution_hint, theirs.proto.solution_hint
    assert (list(mine.vars), list(mine.values)) == (list(reference.vars), list(reference.values))
    assert list(mine.vars) == [0, 1] and list(mine.values) == [0, 0]  # b hinted False
