"""Precedences in the exact model: the linear form and, in the counter model, the clauses
beside it each keep the order on their own, for meetings that must take place and for
meetings that may be left out."""

from __future__ import annotations

import itertools

import pytest
from ortools.sat.python import cp_model

from scheduler.meetings.model import MeetingModel

from .conftest import MakeInstance

N_SLOTS = 4
EARLIER, LATER = 0, 1


def _feasible(model: MeetingModel, placed: dict[int, int | None]) -> bool:
    """Whether the model admits each meeting of ``placed`` in its slot (None: left out)."""
    copy = model.model.clone()
    for m, slot in placed.items():
        for s in range(N_SLOTS):
            copy.add(copy.get_bool_var_from_proto_index(model.x[m, s].index) == (s == slot))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(copy)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)  # tiny: always settled
    return status == cp_model.OPTIMAL


def _without_linear_order(model: MeetingModel) -> None:
    """Clear the linear constraints over both meetings' slots (the order's linear form, and
    where meetings may be left out the two that say whether both take place): only the
    clauses are left to keep the order."""
    slots_of = [{v.index for (m, _s), v in model.x.items() if m == k} for k in (EARLIER, LATER)]
    cleared = 0
    for constraint in model.model.proto.constraints:
        spans = constraint.has_linear() and all(
            mine & set(constraint.linear.vars) for mine in slots_of
        )
        if spans:
            constraint.clear_linear()
            constraint.enforcement_literal.clear()
            cleared += 1
    assert cleared == (3 if model.allow_unscheduled else 1)


@pytest.mark.parametrize("form", ["both", "clauses"])
@pytest.mark.parametrize("may_leave_out", [False, True])
def test_the_later_meeting_comes_strictly_after_the_earlier(
    make_instance: MakeInstance, form: str, may_leave_out: bool
) -> None:
    inst = make_instance([("a", "b"), ("c", "d")], n_slots=N_SLOTS, precedences=(("m1", "m2"),))
    model = MeetingModel(inst, allow_unscheduled=may_leave_out, capacity_counters=True)
    if form == "clauses":
        _without_linear_order(model)
    for early, late in itertools.product(range(N_SLOTS), repeat=2):
        assert _feasible(model, {EARLIER: early, LATER: late}) == (early < late), (early, late)
    if may_leave_out:
        # Left out, either meeting leaves the other free.
        for s in range(N_SLOTS):
            assert _feasible(model, {EARLIER: None, LATER: s})
            assert _feasible(model, {EARLIER: s, LATER: None})


def test_a_later_meeting_without_an_earlier_slot_is_ruled_out(
    make_instance: MakeInstance,
) -> None:
    # b is away in slots 2-3, so the earlier meeting is in slot 0 or 1 and the later one
    # never in slot 0; with the linear form gone, the clauses alone say so.
    inst = make_instance(
        [("a", "b"), ("c", "d")],
        n_slots=N_SLOTS,
        forbidden={"b": {2, 3}},
        precedences=(("m1", "m2"),),
    )
    model = MeetingModel(inst, capacity_counters=True)
    _without_linear_order(model)
    assert not _feasible(model, {LATER: 0})
    assert all(_feasible(model, {LATER: s}) for s in range(1, N_SLOTS))
