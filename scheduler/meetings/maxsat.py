"""MaxSAT engine for the pure benchmark problem: RC2 (python-sat) with a time limit.

RC2 is core-guided: it proves ever higher lower bounds on the breaks, and its first schedule
is an optimal one. python-sat releases the interpreter lock while its SAT solver runs and
can interrupt a running call, so the search runs in the calling thread (beside the CP-SAT
searches of a race) and a small watcher thread interrupts it at the time limit or when
``stop`` is set. Every raised lower bound is reported, so a stopped search still leaves a
proven bound.

Only instances :func:`maxsat_unsupported` accepts are encoded (see ``maxsat_encoding.py``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pysat.examples.rc2 import RC2

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.maxsat_encoding import BreaksEncoding, EncodingOptions
from scheduler.meetings.result import Progress, Status
from scheduler.meetings.search_control import ProgressFn, interrupting

BoundFn = Callable[[int], None]


@dataclass(frozen=True)
class MaxSatOptions:
    # Glucose 4 was the fastest RC2 oracle on the benchmark (docs/benchmarks/meetings.md).
    # Core exhaustion and minimisation make SAT calls that cannot be interrupted.
    solver: str = "g4"
    adapt: bool = False
    exhaust: bool = False
    minimize: bool = False
    encoding: EncodingOptions = field(default_factory=EncodingOptions)


@dataclass(frozen=True)
class MaxSatOutcome:
    """OPTIMAL with the slots of an optimal schedule, INFEASIBLE (proven by the SAT solver),
    or UNKNOWN (stopped) with the best lower bound proven so far."""

    status: Status
    slots: dict[int, int]
    bound: int | None
    seconds: float
    detail: str = ""


class _ReportingRC2(RC2):  # type: ignore[misc]
    """RC2 that reports its cost (a proven lower bound) after every core."""

    def __init__(self, *args: object, on_bound: BoundFn | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._on_bound = on_bound

    def process_core(self) -> None:
        super().process_core()
        if self._on_bound is not None:
            self._on_bound(int(self.cost))


class MaxSatSearch:
    """One RC2 search of ``instance``: :meth:`run` blocks until it ends, the time runs out
    or ``stop`` is set."""

    def __init__(self, instance: MeetingInstance, options: MaxSatOptions | None = None) -> None:
        self.instance = instance
        self.options = options or MaxSatOptions()
        self.encoding = BreaksEncoding(instance, self.options.encoding)

    def run(
        self,
        time_limit: float,
        stop: threading.Event | None = None,
        on_bound: BoundFn | None = None,
    ) -> MaxSatOutcome:
        started = time.perf_counter()
        deadline = started + time_limit
        if stop is not None and stop.is_set():
            return self._outcome(Status.UNKNOWN, {}, None, started, "stopped")
        bound: list[int] = []

        def raised(cost: int) -> None:
            bound.append(cost)
            if on_bound is not None:
                on_bound(cost)

        rc2 = _ReportingRC2(
            self.encoding.wcnf(),
            solver=self.options.solver,
            adapt=self.options.adapt,
            exhaust=self.options.exhaust,
            minz=self.options.minimize,
            on_bound=raised,
        )
        try:
            with interrupting(rc2.interrupt, deadline, stop, "maxsat-watch") as interrupted:
                model = rc2.compute(expect_interrupt=True)
        finally:
            rc2.delete()
        best = max(bound, default=None)
        if model is not None:
            slots = self.encoding.slots_from_model(model)
            return self._outcome(Status.OPTIMAL, slots, int(rc2.cost), started)
        if interrupted.is_set():
            # Without a model, an interrupted search proves nothing but its bound, even if the
            # interrupt came after the last SAT call.
            detail = "stopped" if stop is not None and stop.is_set() else "time limit"
            return self._outcome(Status.UNKNOWN, {}, best, started, detail)
        return self._outcome(Status.INFEASIBLE, {}, None, started)

    @staticmethod
    def _outcome(
        status: Status,
        slots: dict[int, int],
        bound: int | None,
        started: float,
        detail: str = "",
    ) -> MaxSatOutcome:
        return MaxSatOutcome(status, slots, bound, time.perf_counter() - started, detail)


def run_maxsat(
    instance: MeetingInstance,
    time_limit: float,
    options: MaxSatOptions | None = None,
    stop: threading.Event | None = None,
) -> MaxSatOutcome:
    """Encode and search in one call."""
    return MaxSatSearch(instance, options).run(time_limit, stop)


class MaxSatContender:
    """The MaxSAT engine as a contender of :func:`scheduler.meetings.race.race` (its
    ``Engine`` protocol): encodes in its own thread, so the CP-SAT searches start at once."""

    def __init__(
        self, instance: MeetingInstance, options: MaxSatOptions | None = None, name: str = "maxsat"
    ) -> None:
        self.name = name
        self.instance = instance
        self.options = options or MaxSatOptions()
        self.outcome: MaxSatOutcome | None = None

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
        del seed, log, interval_s  # RC2 is deterministic and silent
        started = time.perf_counter()
        search = MaxSatSearch(self.instance, self.options)
        left = time_limit - (time.perf_counter() - started)

        def report(bound: int) -> None:
            if progress is not None:
                progress(Progress(None, float(bound), time.perf_counter() - started))

        self.outcome = search.run(left, stop, on_bound=report)

    @property
    def proven(self) -> bool:
        return self.outcome is not None and self.outcome.status in (
            Status.OPTIMAL,
            Status.INFEASIBLE,
        )

    @property
    def infeasible(self) -> bool:
        return self.outcome is not None and self.outcome.status is Status.INFEASIBLE

    @property
    def has_solution(self) -> bool:
        return self.outcome is not None and self.outcome.status is Status.OPTIMAL

    @property
    def objective(self) -> float | None:
        if not self.has_solution or self.outcome is None or self.outcome.bound is None:
            return None
        return float(self.outcome.bound)

    @property
    def bound(self) -> float | None:
        if self.outcome is None or self.outcome.bound is None:
            return None
        return float(self.outcome.bound)

    def plan(self) -> dict[int, int]:
        return dict(self.outcome.slots) if self.has_solution and self.outcome else {}
