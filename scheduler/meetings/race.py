"""Searches of the same objective side by side; the first proof wins.

The light model solves most benchmark instances in seconds; the model with the table
capacity also encoded as sequential counters (``capacity_counters``) is several times larger
but the only one that cracks capacity-tight instances. Which one an instance needs cannot be
told up front (docs/benchmarks/meetings.md), and running them one after the other splits the
time limit badly for some instance whatever the split. So with two or more workers both run
at once, each on its share of the workers, and the search that proves optimality (or
infeasibility) first stops the other. Without a proof, the better schedule wins and the
reported bound is the better of the two bounds, both being valid for the same objective.

Contender interface (what :func:`race` needs, :class:`Engine`): a ``name``, a ``run`` method
that searches for at most ``time_limit`` seconds in the calling thread and returns early
once ``stop`` is set, and, after ``run``: ``proven`` (optimality or infeasibility proven),
``has_solution``, ``objective`` and ``bound`` (the same objective as every other contender:
``objective.py``'s weighted sum, for a pure benchmark solve the total breaks) and ``plan()``
(meeting index -> slot of its best schedule). :class:`Contender` is the CP-SAT one; another
engine (e.g. MaxSAT) implements the same few members and joins the list in ``solving.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ortools.sat.python import cp_model

from scheduler.meetings.model import BuildStopped, Values
from scheduler.meetings.result import Progress, ProgressFn
from scheduler.meetings.search_control import SearchControl

Reader = Callable[[Values], dict[int, int]]


class KeptSolution:
    """A solution's values, per variable index: kept from CP-SAT's callback and read only
    when asked for (a reader over thousands of Booleans is slow in a callback)."""

    def __init__(self, solution: Sequence[int]) -> None:
        self._solution = solution

    def boolean_value(self, literal: Any) -> bool:
        index = int(literal.index)
        # A negated Boolean's index is -1 - its variable's.
        return bool(self._solution[index]) if index >= 0 else not self._solution[-1 - index]


class _Keeper(cp_model.CpSolverSolutionCallback):
    """Keeps CP-SAT's latest solution and nothing else: a copy of the response, 0.03 ms at
    20,000 variables (its ``solution`` alone is a view the next solution overwrites). One
    assignment, so no lock. Progress stays with SearchControl, which CP-SAT does not call
    per solution (a Python callback that reported every schedule cost the crafted variants
    10-15%, docs/benchmarks/meetings.md); its heartbeat reads the kept objective."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: Any = None  # a CpSolverResponse

    def on_solution_callback(self) -> None:
        self.kept = self.response_proto

    def objective(self) -> float | None:
        """The latest solution's objective (None before the first), read by the search's
        heartbeat, so that the race's progress carries CP-SAT's schedules too."""
        kept = self.kept
        return float(kept.objective_value) if kept is not None else None


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

# A search for a schedule at a proven bound: plain CDCL, no LP (see :class:`AtBound`).
AT_BOUND_PORTFOLIO = ("no_lp",)


class Engine(Protocol):
    """One contender of :func:`race` (see the module docstring)."""

    name: str

    def run(
        self,
        time_limit: float,
        stop: threading.Event,
        *,
        seed: int,
        log: bool,
        progress: ProgressFn | None,
        interval_s: float,
    ) -> None: ...

    @property
    def proven(self) -> bool: ...

    @property
    def has_solution(self) -> bool: ...

    @property
    def objective(self) -> float | None: ...

    @property
    def bound(self) -> float | None: ...

    def plan(self) -> dict[int, int]: ...

    def halt(self) -> None:
        """Stop searching now, from another thread (the race's stop event does it too, at
        the engine's next look at it)."""


@dataclass
class Contender:
    """A CP-SAT search of ``model``; ``reader`` turns the solver's best solution into a plan
    (meeting index -> slot), e.g. ``MeetingModel.chosen_slots``."""

    name: str
    model: cp_model.CpModel
    portfolio: tuple[str, ...]
    workers: int = 1
    reader: Reader | None = None
    # Builds (model, reader) in the contender's own thread, so the others search meanwhile
    # (CP-SAT releases the GIL): the capacity-counter model takes 0.35 s of Python on the
    # forumt instances, as long as the light model needs for its whole proof. A contender
    # still building when another proves its answer is left behind: it never searches, and
    # the build, given the race's stop event, gives up (raises BuildStopped).
    build: Callable[[threading.Event], tuple[cp_model.CpModel, Reader]] | None = None
    # Seconds to wait before building (with ``build``): a race the others end by then never
    # pays for the build, whose Python holds the interpreter from their threads.
    delay: float = 0.0
    # Seconds it searches at most (from its start), where less than the race's limit.
    budget: float | None = None
    presolve_iterations: int | None = None  # None: CP-SAT's default (3)
    # Keep each solution as it is found, for :meth:`incumbent` (a schedule to improve
    # elsewhere while the search goes on).
    keep: bool = False
    solver: cp_model.CpSolver = field(default_factory=cp_model.CpSolver)
    code: cp_model.CpSolverStatus = cp_model.UNKNOWN
    crashed: str = ""
    searched: bool = False
    _keeper: _Keeper | None = field(default=None, init=False, repr=False)

    @property
    def building(self) -> bool:
        """Its model is still to be built (``build`` not run to its end yet)."""
        return self.build is not None

    def configure(self, time_limit: float, seed: int, log: bool) -> None:
        params = self.solver.parameters
        params.max_time_in_seconds = max(0.01, time_limit)
        params.num_workers = max(1, self.workers)
        params.random_seed = seed
        params.log_search_progress = log
        if self.presolve_iterations is not None:
            params.max_presolve_iterations = self.presolve_iterations
        if not self.portfolio:
            return  # CP-SAT's default portfolio
        if self.workers == 1:
            # One worker runs the first subsolver of the portfolio on its own.
            params.linearization_level = 0
            params.optimize_with_core = self.portfolio[0] == "core"
        else:
            params.subsolvers.extend(self.portfolio[: self.workers])

    def run(
        self,
        time_limit: float,
        stop: threading.Event,
        *,
        seed: int,
        log: bool,
        progress: ProgressFn | None,
        interval_s: float,
    ) -> None:
        began = time.perf_counter()
        if self.budget is not None:
            time_limit = min(time_limit, self.budget)
        if self.build is not None:
            if self.delay > 0 and stop.wait(min(self.delay, time_limit)):
                return  # left behind before building
            try:
                self.model, self.reader = self.build(stop)
            except BuildStopped:
                return  # left behind (still building, so race() does not wait for it)
            # No longer building: race() waits for it from here on, so stop is read after.
            self.build = None
            if stop.is_set():
                return
        self.searched = True
        while True:
            self.configure(time_limit - (time.perf_counter() - began), seed, log)
            keeper = self._keeper = _Keeper() if self.keep else None
            latest = keeper.objective if keeper is not None else None
            with SearchControl(self.solver, progress, stop, interval_s, incumbent=latest):
                try:
                    self.code = self.solver.solve(self.model, keeper)
                    self.crashed = ""
                except (IndexError, RuntimeError) as exc:
                    # OR-Tools 9.15 can fail inside solve() on some hinted models (seen on a
                    # crafted JAIR variant); the other contender's answer must still count.
                    self.crashed = f"{type(exc).__name__}: {exc}"
                    self.code = cp_model.UNKNOWN
            left = time_limit - (time.perf_counter() - began)
            hinted = bool(self.model.proto.solution_hint.vars)
            if not (self.crashed and hinted and left > 0 and not stop.is_set()):
                return
            # The failures seen so far come from the hint (the same model without it solves
            # to optimality): search again without it, on a fresh solver, in the time left.
            self.model.clear_hints()  # type: ignore[no-untyped-call]
            self.solver = cp_model.CpSolver()

    @property
    def proven(self) -> bool:
        return self.code in _PROVEN

    @property
    def has_solution(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def objective(self) -> float | None:
        return self.solver.objective_value if self.has_solution else None

    @property
    def bound(self) -> float | None:
        """CP-SAT keeps a valid lower bound even when it stops without a schedule."""
        if self.code == cp_model.INFEASIBLE or self.crashed or not self.searched:
            return None
        return self.solver.best_objective_bound

    def plan(self) -> dict[int, int]:
        if not self.has_solution or self.reader is None:
            return {}
        return self.reader(self.solver)

    def incumbent(self) -> dict[int, int] | None:
        """The plan of the last solution found so far (with ``keep``), while it searches."""
        keeper, reader = self._keeper, self.reader
        kept = keeper.kept if keeper is not None else None
        if kept is None or reader is None:
            return None
        return reader(KeptSolution(kept.solution))

    def halt(self) -> None:
        self.solver.stop_search()  # nothing before its search or after it


@dataclass
class AtBound(Contender):
    """A search for a schedule at a proven lower bound: its model holds the objective at
    ``lower`` at most, so a schedule is optimal, while a refutation proves ``lower + 1``
    (the objective is a whole number), not that the instance has no schedule."""

    lower: int = 0

    @property
    def proven(self) -> bool:
        return self.has_solution

    @property
    def bound(self) -> float | None:
        if self.code == cp_model.INFEASIBLE:
            return float(self.lower + 1)
        return super().bound


E = TypeVar("E", bound=Engine)


class _MergedProgress:
    """One progress stream for all contenders: best objective and best bound so far. When
    they meet (one contender's schedule is as good as another's proven bound), it stops the
    race: that schedule is optimal, though no contender has proven it alone."""

    def __init__(self, progress: ProgressFn | None, started: float, stop: threading.Event) -> None:
        self._progress = progress
        self._started = started
        self._stop = stop
        self._lock = threading.Lock()
        self._objective: float | None = None
        self._bound: float | None = None

    def __call__(self, report: Progress) -> None:
        with self._lock:
            if report.objective is not None and (
                self._objective is None or report.objective < self._objective
            ):
                self._objective = report.objective
            if report.bound is not None and (self._bound is None or report.bound > self._bound):
                self._bound = report.bound
            merged = Progress(self._objective, self._bound, time.perf_counter() - self._started)
        if meets(merged.objective, merged.bound):
            self._stop.set()
        if self._progress is not None:
            self._progress(merged)


def meets(objective: float | None, bound: float | None) -> bool:
    """A schedule of ``objective`` is optimal given a proven lower ``bound``."""
    return objective is not None and bound is not None and objective <= bound + 1e-6


def race(
    contenders: list[E],
    time_limit: float,
    *,
    seed: int = 0,
    log: bool = False,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    interval_s: float = 1.0,
) -> tuple[E, float | None]:
    """Run ``contenders`` at once, each in its own thread; return the winner and the best
    proven bound.

    The winner is the first to prove its status, else the one with the better schedule, else
    the first contender (status unknown). The race also ends once one contender's schedule
    meets another's bound (:func:`meets`); the caller then holds an optimal schedule.
    """
    stop = threading.Event()
    merged = _MergedProgress(progress, time.perf_counter(), stop)
    finished: list[E] = []
    lock = threading.Lock()

    def run(contender: E) -> None:
        contender.run(
            time_limit,
            stop,
            seed=seed,
            log=log,
            progress=merged,  # also when nobody listens: it notices objective meeting bound
            interval_s=interval_s,
        )
        with lock:
            finished.append(contender)
        if contender.proven:
            stop.set()

    def halt_once_stopped() -> None:
        # At once rather than at each search's next look at ``stop`` (20 ms for CP-SAT's
        # watcher): the race waits for the losers.
        stop.wait()
        for contender in contenders:
            contender.halt()

    halter = threading.Thread(target=halt_once_stopped, name="race-halt", daemon=True)
    halter.start()
    threads = [
        threading.Thread(target=run, args=(c,), name=f"race-{c.name}", daemon=True)
        for c in contenders
    ]
    for thread in threads:
        thread.start()

    def waited_for(contender: E, thread: threading.Thread) -> bool:
        # A contender still building its model once the race is over never searches.
        left_behind = stop.is_set() and getattr(contender, "building", False)
        return thread.is_alive() and not left_behind

    while waiting := [t for c, t in zip(contenders, threads, strict=True) if waited_for(c, t)]:
        if cancel is not None and cancel.is_set():
            stop.set()
        waiting[0].join(timeout=0.05)

    stop.set()  # ends the halter, if nothing stopped the race before
    halter.join()
    proven = [c for c in finished if c.proven]
    if proven:
        winner = proven[0]
    else:
        solved = [c for c in contenders if c.has_solution and c.objective is not None]
        winner = min(solved, key=lambda c: c.objective or 0.0) if solved else contenders[0]
    bounds = [b for c in contenders if (b := c.bound) is not None]
    return winner, (max(bounds) if bounds else None)
