"""MaxSAT engine for the pure benchmark problem: RC2 (python-sat) on a child process.

RC2 is core-guided: it proves ever higher lower bounds on the breaks, and its first schedule
is an optimal one. It cannot be stopped from the outside while a SAT call runs in this
process without holding the interpreter, so the search runs in a child process that is
killed at the time limit or when the caller stops it (say, because CP-SAT proved first). The
child reports every raised lower bound, so a stopped search still leaves a proven bound.

Only instances :func:`maxsat_unsupported` accepts are encoded (see ``maxsat_encoding.py``).
Where a child process cannot be started (a daemonic worker process, say) the engine reports
status unknown and the caller carries on with its other engines.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.maxsat_encoding import BreaksEncoding, EncodingOptions
from scheduler.meetings.result import Status

BoundFn = Callable[[int], None]


@dataclass(frozen=True)
class MaxSatOptions:
    # Glucose 4 was the fastest RC2 oracle on the benchmark (docs/benchmarks/meetings.md).
    solver: str = "g4"
    adapt: bool = False
    exhaust: bool = False
    minimize: bool = False
    encoding: EncodingOptions = field(default_factory=EncodingOptions)


@dataclass(frozen=True)
class MaxSatOutcome:
    """OPTIMAL with the slots of an optimal schedule, INFEASIBLE (proven by the SAT solver),
    or UNKNOWN (stopped or no child process) with the best lower bound proven so far."""

    status: Status
    slots: dict[int, int]
    bound: int | None
    seconds: float
    detail: str = ""


def _child(
    hard: list[list[int]],
    soft: list[int],
    x_top: int,
    options: MaxSatOptions,
    conn: Connection,
) -> None:
    """Runs in the child: RC2 on the formula, bounds and the result sent over ``conn``."""
    from pysat.examples.rc2 import RC2
    from pysat.formula import WCNF

    class ReportingRC2(RC2):  # type: ignore[misc]
        def process_core(self) -> None:
            super().process_core()
            conn.send(("bound", int(self.cost)))

    formula = WCNF()
    formula.extend(hard)
    for lit in soft:
        formula.append([lit], weight=1)
    with ReportingRC2(
        formula,
        solver=options.solver,
        adapt=options.adapt,
        exhaust=options.exhaust,
        minz=options.minimize,
    ) as rc2:
        model = rc2.compute()
        if model is None:
            conn.send(("infeasible", None))
        else:
            conn.send(("optimal", (int(rc2.cost), [lit for lit in model if 0 < lit <= x_top])))
    conn.close()


class MaxSatSearch:
    """One RC2 search of ``instance`` on a child process: :meth:`run` blocks until it ends,
    the time runs out or ``stop`` is set."""

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
        x_top = max(self.encoding.x.values(), default=0)
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        ctx = multiprocessing.get_context("fork")
        process = ctx.Process(
            target=_child,
            args=(self.encoding.hard, self.encoding.soft, x_top, self.options, sender),
            name="maxsat-rc2",
            daemon=True,
        )
        try:
            process.start()
        except (AssertionError, OSError) as exc:
            # Daemonic processes may not have children; no fork: the other engines carry on.
            return MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, f"no child process: {exc}")
        finally:
            sender.close()
        bound: int | None = None
        try:
            while True:
                if stop is not None and stop.is_set():
                    return self._outcome(Status.UNKNOWN, {}, bound, started, "stopped")
                left = deadline - time.perf_counter()
                if left <= 0:
                    return self._outcome(Status.UNKNOWN, {}, bound, started, "time limit")
                if not receiver.poll(min(left, 0.05)):
                    continue
                try:
                    kind, payload = receiver.recv()
                except EOFError:
                    return self._outcome(Status.UNKNOWN, {}, bound, started, "child died")
                if kind == "bound":
                    bound = int(payload)
                    if on_bound is not None:
                        on_bound(bound)
                elif kind == "infeasible":
                    return self._outcome(Status.INFEASIBLE, {}, None, started, "")
                else:
                    cost, lits = payload
                    slots = self.encoding.slots_from_model(lits)
                    return self._outcome(Status.OPTIMAL, slots, int(cost), started, "")
        finally:
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()

    @staticmethod
    def _outcome(
        status: Status, slots: dict[int, int], bound: int | None, started: float, detail: str
    ) -> MaxSatOutcome:
        return MaxSatOutcome(status, slots, bound, time.perf_counter() - started, detail)


def run_maxsat(
    instance: MeetingInstance,
    time_limit: float,
    options: MaxSatOptions | None = None,
    stop: threading.Event | None = None,
) -> MaxSatOutcome:
    """Convenience wrapper: encode and search in one call."""
    return MaxSatSearch(instance, options).run(time_limit, stop)


def _unused(_: Any) -> None:  # pragma: no cover - keeps Any imported for mypy-typed payloads
    return None
