"""A proven upper bound on the priority-weighted meetings an event can place.

When more meetings are accepted than fit, nobody can tell how good a schedule is without a
bound. This one comes from a relaxation that forgets which slot each meeting takes and
keeps only counting conditions every schedule satisfies:

- a participant takes at most one meeting per slot, so at most as many meetings as the
  slots its meetings may use, and at most its cap; the same for the meetings restricted to
  any one allowed-slot set (e.g. its morning-only meetings fit in its free morning slots);
- the meetings needing a shared table fit in tables x slots, and those restricted to one
  day part in tables x that part's slots;
- pinned meetings are placed.

Its integer optimum (CP-SAT, a weighted b-matching with side constraints) is at least the
best schedule's weight, and so is any bound CP-SAT proves on it when stopped early: that
bound is what :func:`placement_upper_bound` returns.
"""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.search_control import SearchControl


def placement_upper_bound(
    instance: MeetingInstance,
    time_limit: float,
    workers: int = 1,
    cancel: threading.Event | None = None,
) -> int | None:
    """Upper bound on the sum of priorities of placed meetings; None if the search had no
    time to prove any (or the relaxation is infeasible, which the precheck reports)."""
    return relaxation(instance, time_limit, workers, cancel)[0]


def relaxation(
    instance: MeetingInstance,
    time_limit: float,
    workers: int = 1,
    cancel: threading.Event | None = None,
) -> tuple[int | None, frozenset[int]]:
    """The bound and the meetings (indexes) of the relaxation's best solution, a guide for
    which meetings to place when not all fit."""
    inst = instance
    model = cp_model.CpModel()
    z: dict[int, cp_model.IntVar] = {}
    for m, slots in enumerate(inst.allowed_slots):
        if slots:
            z[m] = model.new_bool_var(f"z_{m}")
            if inst.meetings[m].id in inst.pinned_slot:
                model.add(z[m] == 1)
    # Per participant: meetings whose allowed slots lie inside one of its allowed-slot sets
    # (and all of them together) fit in that set's slots.
    for p in inst.participants:
        mine = [m for m in inst.meetings_of[p.id] if m in z]
        if not mine:
            continue
        sets = {frozenset(inst.allowed_slots[m]) for m in mine}
        sets.add(frozenset(s for m in mine for s in inst.allowed_slots[m]))
        for allowed in sets:
            inside = [z[m] for m in mine if allowed.issuperset(inst.allowed_slots[m])]
            if len(inside) > len(allowed):
                model.add(sum(inside) <= len(allowed))
        if p.max_meetings is not None and len(mine) > p.max_meetings:
            model.add(sum(z[m] for m in mine) <= p.max_meetings)
    tables = len(inst.shared_tables)
    shared = [m for m in z if inst.uses_shared_table(inst.meetings[m])]
    parts = [
        range(inst.n_slots),
        range(inst.n_morning_slots),
        range(inst.n_morning_slots, inst.n_slots),
    ]
    for part in parts:
        window = set(part)
        inside = [z[m] for m in shared if window.issuperset(inst.allowed_slots[m])]
        if len(inside) > tables * len(part):
            model.add(sum(inside) <= tables * len(part))
    model.maximize(sum(inst.meetings[m].priority * var for m, var in z.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    with SearchControl(solver, None, cancel):
        code = solver.solve(model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = frozenset(m for m, var in z.items() if solver.boolean_value(var))
        return int(solver.best_objective_bound + 1e-6), chosen
    if code == cp_model.UNKNOWN and solver.best_objective_bound < float("inf"):
        # No solution yet, but the LP bound is still a proof.
        return int(solver.best_objective_bound + 1e-6), frozenset()
    return None, frozenset()
