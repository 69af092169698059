"""Solve an agenda instance with CP-SAT: options, progress reports and cancellation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.agenda.errors import AgendaModelInvalid
from scheduler.agenda.greedy import greedy_agenda
from scheduler.agenda.instance import AgendaInstance, Placement
from scheduler.agenda.model import AgendaModel
from scheduler.agenda.prepared import PreparedAgenda, prepare
from scheduler.agenda.result import AgendaResult, AgendaStatus, Progress
from scheduler.agenda.terms import agenda_diff, soft_terms

ProgressCallback = Callable[[Progress], None]

# How often the watcher looks at the cancel event: the search stops within this delay.
_CANCEL_POLL_S = 0.1
# Full-problem workers in order of use; with two workers only the first two run.
_SUBSOLVERS = ("max_lp", "default_lp", "core", "quick_restart", "no_lp")


@dataclass(frozen=True)
class SolveOptions:
    time_limit_s: float = 10.0
    workers: int = 2
    seed: int = 0
    log_search: bool = False
    # Probing every boolean costs more than it finds on these assignment-shaped models,
    # whose bound comes from the LP; switch it back on for heavily constrained instances.
    probing: bool = False


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: ProgressCallback) -> None:
        super().__init__()
        self._progress = progress

    def on_solution_callback(self) -> None:
        self._progress(
            Progress(
                objective=self.objective_value,
                bound=self.best_objective_bound,
                elapsed_s=self.wall_time,
            )
        )


def solve(
    instance: AgendaInstance,
    options: SolveOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> AgendaResult:
    options = options or SolveOptions()
    started = time.perf_counter()
    prepared = prepare(instance)
    if prepared.unplaceable:
        return AgendaResult(
            status=AgendaStatus.INFEASIBLE,
            objective=None,
            bound=None,
            seconds=time.perf_counter() - started,
            message="no room and start satisfies every hard rule for sessions "
            + ", ".join(prepared.unplaceable),
        )
    # A first-fit agenda, when it finds one, starts the search and is the answer if CP-SAT
    # finds nothing better within the limit: the solve is never empty-handed then.
    first_fit = greedy_agenda(prepared)
    if first_fit is not None and soft_terms(prepared, first_fit).weighted(instance.weights) == 0:
        # Every soft term and weight is non-negative: an agenda without cost is optimal.
        return _result(
            prepared,
            first_fit,
            AgendaStatus.OPTIMAL,
            0.0,
            time.perf_counter() - started,
            message="the first-fit agenda costs nothing, which is optimal",
        )
    agenda_model = AgendaModel(prepared)
    if first_fit is not None:
        agenda_model.hint(first_fit)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = options.time_limit_s
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log_search
    # The placement constraints are at-most-ones, which the LP only sees at linearization
    # level 2 ("max_lp"); the default worker keeps the objective bound at zero for minutes.
    solver.parameters.linearization_level = 2
    solver.parameters.subsolvers.extend(_SUBSOLVERS)
    if not options.probing:
        solver.parameters.cp_model_probing_level = 0

    finished = threading.Event()
    stopped = threading.Event()
    watcher = _start_cancel_watcher(solver, cancel, finished, stopped) if cancel else None
    try:
        reporter = _ProgressReporter(progress) if progress is not None else None
        status = solver.solve(agenda_model.model, reporter)
    finally:
        finished.set()
        if watcher is not None:
            watcher.join()
    seconds = time.perf_counter() - started

    if status == cp_model.MODEL_INVALID:
        raise AgendaModelInvalid(agenda_model.model.validate() or "CP-SAT: model invalid")
    if status == cp_model.INFEASIBLE:
        return AgendaResult(
            status=AgendaStatus.INFEASIBLE,
            objective=None,
            bound=None,
            seconds=seconds,
            message="the hard rules cannot all hold together",
        )
    unsolved = status not in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if unsolved and first_fit is not None and not stopped.is_set():
        return _result(
            prepared,
            first_fit,
            AgendaStatus.FEASIBLE,
            solver.best_objective_bound,
            seconds,
            message="the first-fit agenda: CP-SAT found none within the time limit",
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return AgendaResult(
            status=AgendaStatus.UNKNOWN,
            objective=None,
            bound=solver.best_objective_bound,
            seconds=seconds,
            stopped=stopped.is_set(),
            message="stopped before any agenda was found"
            if stopped.is_set()
            else "no agenda found within the time limit",
        )
    return _result(
        prepared,
        agenda_model.placements(solver),
        AgendaStatus.OPTIMAL if status == cp_model.OPTIMAL else AgendaStatus.FEASIBLE,
        solver.best_objective_bound,
        seconds,
        stopped=stopped.is_set(),
    )


def _result(
    prepared: PreparedAgenda,
    placements: tuple[Placement, ...],
    status: AgendaStatus,
    bound: float,
    seconds: float,
    stopped: bool = False,
    message: str = "",
) -> AgendaResult:
    instance = prepared.instance
    terms = soft_terms(prepared, placements)
    return AgendaResult(
        status=status,
        # Read off the agenda rather than the solver: the overlap indicators of a
        # non-optimal solution may overstate the cost.
        objective=terms.weighted(instance.weights),
        bound=bound,
        seconds=seconds,
        placements=tuple(sorted(placements, key=lambda p: (p.start, p.room, p.session))),
        terms=terms,
        diff=agenda_diff(instance, placements),
        stopped=stopped,
        message=message,
    )


def _start_cancel_watcher(
    solver: cp_model.CpSolver,
    cancel: threading.Event,
    finished: threading.Event,
    stopped: threading.Event,
) -> threading.Thread:
    def watch() -> None:
        # A stop requested before CP-SAT has started its search is forgotten, so keep
        # asking until the solve returns.
        while not finished.is_set():
            if cancel.wait(_CANCEL_POLL_S):
                stopped.set()
                solver.stop_search()
                finished.wait(_CANCEL_POLL_S)

    thread = threading.Thread(target=watch, name="agenda-cancel-watcher", daemon=True)
    thread.start()
    return thread
