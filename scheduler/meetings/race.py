"""Two CP-SAT searches of the same breaks objective, side by side; the first proof wins.

The light model solves most benchmark instances in seconds; the model with the table
capacity also encoded as sequential counters (``capacity_counters``) is several times larger
but the only one that cracks capacity-tight instances. Which one an instance needs cannot be
told up front (docs/benchmarks/meetings.md), and running them one after the other splits the
time limit badly for some instance whatever the split. So with two or more workers both run
at once, each on its share of the workers, and the search that proves optimality (or
infeasibility) first stops the other. Without a proof, the better schedule wins and the
reported bound is the better of the two bounds, both being valid for the same objective.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.meetings.result import Progress
from scheduler.meetings.search_control import ProgressFn, SearchControl

_PROVEN = (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID)

# First subsolvers of each side (measured, docs/benchmarks/meetings.md): core-guided bounding
# on the light model, plain CDCL without LP on the counter model.
LIGHT_PORTFOLIO = (
    "core",
    "no_lp",
    "quick_restart_no_lp",
    "default_lp",
    "objective_lb_search_no_lp",
    "max_lp",
)
COUNTER_PORTFOLIO = (
    "no_lp",
    "core",
    "quick_restart_no_lp",
    "objective_lb_search_no_lp",
    "default_lp",
    "max_lp",
)


@dataclass
class Contender:
    name: str
    model: cp_model.CpModel
    portfolio: tuple[str, ...]
    workers: int = 1
    solver: cp_model.CpSolver = field(default_factory=cp_model.CpSolver)
    code: cp_model.CpSolverStatus = cp_model.UNKNOWN

    def configure(self, time_limit: float, seed: int, log: bool) -> None:
        params = self.solver.parameters
        params.max_time_in_seconds = max(0.01, time_limit)
        params.num_workers = max(1, self.workers)
        params.random_seed = seed
        params.log_search_progress = log
        if not self.portfolio:
            return  # CP-SAT's default portfolio
        if self.workers == 1:
            # One worker runs the first subsolver of the portfolio on its own.
            params.linearization_level = 0
            params.optimize_with_core = self.portfolio[0] == "core"
        else:
            params.subsolvers.extend(self.portfolio[: self.workers])

    @property
    def has_solution(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)


class _MergedProgress:
    """One progress stream for both searches: best objective and best bound so far."""

    def __init__(self, progress: ProgressFn | None, started: float) -> None:
        self._progress = progress
        self._started = started
        self._lock = threading.Lock()
        self._objective: float | None = None
        self._bound: float | None = None

    def __call__(self, report: Progress) -> None:
        if self._progress is None:
            return
        with self._lock:
            if report.objective is not None and (
                self._objective is None or report.objective < self._objective
            ):
                self._objective = report.objective
            if report.bound is not None and (self._bound is None or report.bound > self._bound):
                self._bound = report.bound
            merged = Progress(self._objective, self._bound, time.perf_counter() - self._started)
        self._progress(merged)


def race(
    contenders: list[Contender],
    time_limit: float,
    *,
    seed: int = 0,
    log: bool = False,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    interval_s: float = 1.0,
) -> tuple[Contender, float | None]:
    """Run ``contenders`` at once; return the winner and the best proven bound.

    The winner is the first to prove its status, else the one with the better schedule, else
    the first contender (status unknown).
    """
    stop = threading.Event()
    merged = _MergedProgress(progress, time.perf_counter())
    finished: list[Contender] = []
    lock = threading.Lock()

    def run(contender: Contender) -> None:
        contender.configure(time_limit, seed, log)
        with SearchControl(contender.solver, merged if progress else None, stop, interval_s):
            contender.code = contender.solver.solve(contender.model)
        with lock:
            finished.append(contender)
        if contender.code in _PROVEN:
            stop.set()

    threads = [
        threading.Thread(target=run, args=(c,), name=f"cpsat-{c.name}", daemon=True)
        for c in contenders
    ]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        if cancel is not None and cancel.is_set():
            stop.set()
        for thread in threads:
            thread.join(timeout=0.05)

    proven = [c for c in finished if c.code in _PROVEN]
    if proven:
        winner = proven[0]
    else:
        solved = [c for c in contenders if c.has_solution]
        winner = min(solved, key=lambda c: c.solver.objective_value) if solved else contenders[0]
    # CP-SAT keeps a valid lower bound even when it stops without a schedule.
    bounds = [c.solver.best_objective_bound for c in contenders if c.code != cp_model.INFEASIBLE]
    return winner, (max(bounds) if bounds else None)
