"""The meeting scheduler's entry point: checks, warm start, CP-SAT search, result."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.meetings.errors import ModelInvalidError
from scheduler.meetings.greedy import greedy_schedule
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.large_event import solve_large
from scheduler.meetings.model import MeetingModel
from scheduler.meetings.options import SolveOptions
from scheduler.meetings.precheck import (
    infeasibility_reason,
    required_meeting_conflict,
    unplaceable_meetings,
)
from scheduler.meetings.result import MeetingResult, Progress, Status
from scheduler.meetings.schedule_result import build_result
from scheduler.meetings.search_control import ProgressFn, SearchControl

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


def _infeasible(reason: str, started: float) -> MeetingResult:
    return MeetingResult(
        status=Status.INFEASIBLE,
        objective=None,
        bound=None,
        seconds=time.perf_counter() - started,
        infeasible_reason=reason,
    )


# Measured on the 20 JAIR instances (docs/benchmarks/meetings.md): the optima are small
# (0-6 breaks), so core-guided lower bounding (as in MaxSAT) proves them, and a CDCL search
# without LP finds the contiguous agendas far sooner than the default LP-based worker.
PURE_BREAKS_PORTFOLIO = ("core", "no_lp", "quick_restart_no_lp", "default_lp",
                         "objective_lb_search_no_lp", "max_lp")


def configure_solver(
    solver: cp_model.CpSolver, options: SolveOptions, time_limit: float, pure_breaks: bool
) -> None:
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, time_limit)
    params.num_workers = max(1, options.workers)
    params.random_seed = options.seed
    params.log_search_progress = options.log_search
    if not pure_breaks:
        return
    if options.workers == 1:
        params.optimize_with_core = True
        params.linearization_level = 0
    else:
        params.subsolvers.extend(PURE_BREAKS_PORTFOLIO[: options.workers])


def solve(
    instance: MeetingInstance,
    options: SolveOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> MeetingResult:
    """Schedule the meetings of ``instance``.

    ``progress`` receives a :class:`Progress` on every improving solution and about every
    ``options.progress_interval_s`` seconds, from solver threads: it must be thread-safe and
    quick. Setting ``cancel`` stops the search within about a second; the best schedule found
    so far is returned (status ``feasible``), or status ``unknown`` if there is none.
    """
    options = options or SolveOptions()
    started = time.perf_counter()
    pairs = sum(len(slots) for slots in instance.allowed_slots)
    if pairs > options.large_event_threshold:
        if options.allow_unscheduled is False:
            reason = infeasibility_reason(instance)
            if reason is not None:
                return _infeasible(reason, started)
        elif (conflict := required_meeting_conflict(instance, frozenset())) is not None:
            return _infeasible(conflict, started)
        return solve_large(instance, options, progress, cancel, started)
    if options.allow_unscheduled is None:
        strict = replace(options, allow_unscheduled=False)
        if infeasibility_reason(instance) is None:
            # Half the budget for "everything fits"; an overfull event keeps the other half.
            first = _solve(instance, replace(strict, time_limit_s=options.time_limit_s / 2),
                           progress, cancel, started)
            if first.status in (Status.OPTIMAL, Status.FEASIBLE) or (
                cancel is not None and cancel.is_set()
            ):
                return first
        remaining = options.time_limit_s - (time.perf_counter() - started)
        overflow = replace(options, allow_unscheduled=True, time_limit_s=remaining)
        return _solve(instance, overflow, progress, cancel, started)
    return _solve(instance, options, progress, cancel, started)


def _solve(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    started: float,
) -> MeetingResult:
    local_start = time.perf_counter()
    if options.allow_unscheduled:
        excluded = frozenset(unplaceable_meetings(instance))
        reason = required_meeting_conflict(instance, excluded)
    else:
        excluded = frozenset()
        reason = infeasibility_reason(instance)
    if reason is not None:
        return _infeasible(reason, started)

    model = MeetingModel(
        instance,
        allow_unscheduled=bool(options.allow_unscheduled),
        excluded=excluded,
        implied_constraints=options.implied_constraints,
    )
    pure_breaks = not options.allow_unscheduled and not instance.previous
    optimal_hint: dict[int, int] | None = None
    lower = 0
    if pure_breaks:
        lower, optimal_hint = _probe_lower_bound(instance, options, progress, cancel, started)
        if lower > 0:
            model.model.add(model.breaks_total >= lower)
    if optimal_hint is not None:
        model.add_hint(optimal_hint)
    elif options.use_hint:
        start = {
            instance.meeting_index[mid]: s
            for mid, s in instance.previous.items()
            if mid in instance.meeting_index and instance.meeting_index[mid] not in excluded
            and s.slot in instance.allowed_slots[instance.meeting_index[mid]]
        }
        hint = greedy_schedule(instance, start={m: p.slot for m, p in start.items()})
        model.add_hint(hint)
    solver = cp_model.CpSolver()
    remaining = options.time_limit_s - (time.perf_counter() - local_start)
    # Two models in sequence: the light one solves most instances in seconds; when it has
    # not proven optimality after 60% of the budget, the capacity counters take over.
    staged = pure_breaks and remaining >= 20 and optimal_hint is None
    configure_solver(solver, options, 0.6 * remaining if staged else remaining, pure_breaks)
    with SearchControl(solver, progress, cancel, options.progress_interval_s) as control:
        code = solver.solve(model.model, control)
    if staged and code in (cp_model.FEASIBLE, cp_model.UNKNOWN) and not control.cancelled:
        heavy = MeetingModel(instance, implied_constraints=options.implied_constraints,
                             capacity_counters=True)
        proven = max(lower, math.ceil(solver.best_objective_bound - 1e-6))
        if proven > 0:
            heavy.model.add(heavy.breaks_total >= proven)
        if code == cp_model.FEASIBLE:
            heavy.add_hint(model.chosen_slots(solver))
        light = (model, solver, code)
        model = heavy
        solver = cp_model.CpSolver()
        configure_solver(
            solver, options, options.time_limit_s - (time.perf_counter() - local_start), True
        )
        with SearchControl(solver, progress, cancel, options.progress_interval_s) as control:
            code = solver.solve(model.model, control)
        if code == cp_model.UNKNOWN and light[2] == cp_model.FEASIBLE:
            model, solver, code = light  # keep the light model's schedule
    if code == cp_model.MODEL_INVALID:
        raise ModelInvalidError(f"CP-SAT rejected the model: {model.model.validate()}")
    status = _STATUS.get(code, Status.UNKNOWN)
    seconds = time.perf_counter() - started
    if status is Status.INFEASIBLE:
        return _infeasible(
            "no schedule satisfies all constraints together"
            + (" (fairness bound included)" if instance.fairness is not None else ""),
            started,
        )
    if status is Status.UNKNOWN:
        return MeetingResult(status=status, objective=None, bound=None, seconds=seconds)
    plan = {instance.meetings[m].id: s for m, s in model.chosen_slots(solver).items()}
    bound: float | None = None
    if status is Status.OPTIMAL:
        bound = float(sum(_breaks_of(model, solver)))
    elif pure_breaks:
        bound = solver.best_objective_bound
    return build_result(instance, status, plan, seconds, bound=bound)


def _probe_lower_bound(
    instance: MeetingInstance,
    options: SolveOptions,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    started: float,
) -> tuple[int, dict[int, int] | None]:
    """Prove "at least k breaks" by refuting "at most k - 1", for k = 1, 2, 3.

    Refuting a tiny total is often pure propagation (a fraction of a second), while the
    optimising workers may never settle it: the proven bound then helps them and is what
    the result reports if the time runs out. A schedule found on the way is optimal.
    """
    budget = min(6.0, 0.05 * options.time_limit_s)
    deadline = time.perf_counter() + budget
    lower = 0
    while lower < 3 and time.perf_counter() < deadline:
        if cancel is not None and cancel.is_set():
            break
        probe = MeetingModel(instance, implied_constraints=options.implied_constraints)
        probe.model.add(probe.breaks_total <= lower)
        probe.model.clear_objective()  # type: ignore[no-untyped-call]
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, min(2.0, deadline - time.perf_counter()))
        solver.parameters.num_workers = max(1, options.workers)
        solver.parameters.random_seed = options.seed
        with SearchControl(solver, None, cancel, options.progress_interval_s):
            code = solver.solve(probe.model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return lower, probe.chosen_slots(solver)
        if code != cp_model.INFEASIBLE:
            break
        lower += 1
        if progress is not None:
            progress(Progress(None, float(lower), time.perf_counter() - started))
    return lower, None


def _breaks_of(model: MeetingModel, solver: cp_model.CpSolver) -> list[int]:
    return [solver.value(v) for v in model.breaks.values()]
