"""Progress reports and cancellation around a CP-SAT search.

CP-SAT calls back from its own threads and cannot be interrupted from outside except by
``stop_search``; a small watcher thread turns a ``threading.Event`` into that call and emits
a heartbeat so a job page moves even while no better solution is found. python-sat's
searches have the same in :mod:`scheduler.meetings.interrupts`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType

from ortools.sat.python import cp_model

from scheduler.meetings.result import Progress, ProgressFn

# How often the watcher looks at the cancel event: a search that lost a race holds a core
# until it stops (at 0.1 s, the forumt instances' races waited 0.04-0.1 s for the loser).
POLL_S = 0.02


class SearchControl(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        solver: cp_model.CpSolver,
        progress: ProgressFn | None,
        cancel: threading.Event | None,
        interval_s: float = 1.0,
        on_solution: Callable[[SearchControl], None] | None = None,
        incumbent: Callable[[], float | None] | None = None,
    ) -> None:
        """``incumbent``, where the search's solutions are kept by another callback than
        this one (``race._Keeper``): the latest objective, read at each report."""
        super().__init__()
        self._solver = solver
        self._progress = progress
        self._cancel = cancel
        self._interval_s = interval_s
        self._on_solution = on_solution
        self._incumbent = incumbent
        self._started = time.perf_counter()
        self._lock = threading.Lock()
        self._objective: float | None = None
        self._bound: float | None = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self.cancelled = False
        if progress is not None:
            solver.best_bound_callback = self._on_bound

    def on_solution_callback(self) -> None:
        with self._lock:
            self._objective = self.objective_value
            self._bound = self.best_objective_bound
        if self._on_solution is not None:
            self._on_solution(self)
        self._emit()

    def _on_bound(self, bound: float) -> None:
        with self._lock:
            self._bound = bound
        self._emit()

    def _emit(self) -> None:
        if self._progress is None:
            return
        latest = self._incumbent() if self._incumbent is not None else None
        with self._lock:
            if latest is not None:
                self._objective = latest
            report = Progress(self._objective, self._bound, time.perf_counter() - self._started)
        self._progress(report)

    def _watch(self) -> None:
        last = time.perf_counter()
        while not self._done.wait(POLL_S):
            if self._cancel is not None and self._cancel.is_set():
                self.cancelled = True
                self._solver.stop_search()
                return
            if time.perf_counter() - last >= self._interval_s:
                last = time.perf_counter()
                self._emit()

    def __enter__(self) -> SearchControl:
        if self._cancel is not None or self._progress is not None:
            self._thread = threading.Thread(target=self._watch, name="cpsat-watch", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
