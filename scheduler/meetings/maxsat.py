"""MaxSAT engine for the pure benchmark problem: RC2 (python-sat) with a time limit.

RC2 is core-guided: it proves ever higher lower bounds on the breaks, and its first schedule
is an optimal one. Every raised lower bound is reported, so a stopped search still leaves a
proven bound.

:class:`MaxSatSearch` searches in the calling thread: python-sat releases the interpreter
lock while its SAT solver runs, and a small watcher thread interrupts it at the time limit
or when ``stop`` is set. Glucose 4 sees that interrupt only at its next restart, which can
be minutes away on a hard core, so in a race :class:`MaxSatContender` runs the same search
in a child process that it kills (``python -m scheduler.meetings.maxsat``, child.py).

Only instances :func:`maxsat_unsupported` accepts are encoded (see ``maxsat_encoding.py``).
"""

from __future__ import annotations

import contextlib
import json
import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pysat.examples.rc2 import RC2

from scheduler.meetings.child import limit_child, reaped, start_child
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.interrupts import interrupting
from scheduler.meetings.json_format import instance_from_dict, instance_to_dict
from scheduler.meetings.maxsat_encoding import BreaksEncoding, EncodingOptions
from scheduler.meetings.result import Progress, ProgressFn, Status

BoundFn = Callable[[int], None]
# UWrMaxSat's encoding: without the two redundant counts of busy slots (per participant, per
# slot), which helped RC2 but slowed UWrMaxSat 1.8 on forum-13crafc from 2.4 s to 16.1 s
# (ticf-13crafc: 4.7 s against no answer in 60 s; docs/benchmarks/meetings.md).
UWRMAXSAT_ENCODING = EncodingOptions(busy_count=False, busy_per_slot=False)
# Which of hermax's UWrMaxSat builds: ``urmaxsat_comp_py`` (1.4, its MaxSAT Evaluation
# version) or ``urmaxsat_py`` (1.8). 1.4 searched forum-13crafc in 0.98 s against 1.65 s,
# ticf-13crafc in 2.21 s against 2.55 s. Their answers (IPAMIR codes): optimum, unsatisfiable.
UWRMAXSAT_MODULE = "urmaxsat_comp_py"
_OPTIMUM, _UNSAT = 30, 20
# The child's address space: the encoding of the largest instance it takes (8,000 pairs)
# and RC2's totalizers stay far below it.
CHILD_MEMORY_BYTES = 2 << 30


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
    """Encode and search in one call, in this thread. The interrupt at ``time_limit`` reaches
    Glucose only when it restarts, so on a hard core this can run well past the limit: for
    small instances and tests; the solve runs RC2 in a child it can kill
    (:class:`MaxSatContender`)."""
    return MaxSatSearch(instance, options).run(time_limit, stop)


class MaxSatContender:
    """The MaxSAT engine, default :class:`MaxSatOptions`, as a contender of
    :func:`scheduler.meetings.race.race` (its ``Engine`` protocol). It searches in a child
    process (``python -m scheduler.meetings.maxsat SECONDS``, child.py), killed once the race
    stops or the time is up: Glucose 4 looks at an interrupt only when it restarts, and on a
    hard core it went on for more than two minutes past its time limit. The child encodes on
    its own core, so the CP-SAT searches start at once; it reports each raised bound as it
    goes."""

    def __init__(
        self,
        instance: MeetingInstance,
        name: str = "maxsat",
        module: str = "scheduler.meetings.maxsat",
        args: tuple[str, ...] = (),
        delay: float = 0.0,
    ) -> None:
        self.name = name
        self.instance = instance
        self.outcome: MaxSatOutcome | None = None
        # The child: ``python -m module SECONDS *args`` with the same protocol as ``main``
        # (few_breaks.py's search speaks it too).
        self.module = module
        self.args = args
        # Seconds the race goes on without it before the child starts (and takes a core);
        # the child then searches for the rest of the race.
        self.delay = delay
        self._process: subprocess.Popen[str] | None = None
        # When the child started (perf_counter) and the seconds it was given; set by
        # ``start``, which may run before the race (``solving.py``) or in ``run``.
        self._started = 0.0
        self._limit = 0.0
        self._lock = threading.Lock()
        self._discarded = False
        self._timer: threading.Timer | None = None
        # An early search (``start_after``) reads its child in the timer's thread, with its
        # own stop; ``_finished`` is set once it has an outcome.
        self._early_stop = threading.Event()
        self._finished = threading.Event()

    def start_after(
        self, delay: float, deadline: float, on_proven: Callable[[], None] | None = None
    ) -> None:
        """Search from ``delay`` seconds on, before the race, until ``deadline``
        (``time.perf_counter``), in a timer thread that starts the child and reads its
        answer: on a core the solve leaves idle meanwhile (``solving.py``). ``on_proven`` is
        called there once the child proves its answer; ``run`` then only waits for it."""

        def search() -> None:
            try:
                self._search(deadline - time.perf_counter(), self._early_stop, None)
            finally:
                self._finished.set()
            if on_proven is not None and self.proven:
                on_proven()

        timer = threading.Timer(delay, search)
        timer.name = f"{self.name}-early"
        timer.daemon = True
        self._timer = timer
        timer.start()

    def start(self, time_limit: float) -> None:
        """Start the child now with ``time_limit`` seconds, unless it runs already or the
        contender was discarded; the instance is written to it from a thread of its own, as
        the child reads it only once it has started."""
        with self._lock:
            if self._discarded or self._process is not None or time_limit <= 0:
                return
            try:
                process = start_child(self.module, f"{time_limit:.3f}", *self.args)
            except OSError as exc:
                self.outcome = MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, f"child failed: {exc}")
                self._discarded = True
                return
            self._process, self._started, self._limit = process, time.perf_counter(), time_limit
        text = json.dumps(instance_to_dict(self.instance))
        threading.Thread(
            target=self._feed, args=(process, text), name=f"{self.name}-feed", daemon=True
        ).start()

    @property
    def started(self) -> bool:
        """Whether its child has started."""
        return self._process is not None

    @staticmethod
    def _feed(process: subprocess.Popen[str], text: str) -> None:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):  # killed or closed
            try:
                process.stdin.write(text)
            finally:
                process.stdin.close()

    def discard(self) -> None:
        """Never race after all: an early search is stopped, its child killed and waited
        for, and a ``start`` still to come does nothing."""
        with self._lock:
            self._discarded = True
            process = self._process
        self._early_stop.set()
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()  # its search kills the child and waits for it
        elif process is not None:  # started by ``start`` alone
            with reaped(process):
                process.kill()

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
        del seed, log, interval_s  # the children are deterministic and silent
        if self._discarded and not self._finished.is_set():  # its timer may never fire
            self.outcome = MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, "discarded")
            return
        if self._timer is None:
            self._search(time_limit, stop, progress)
            return
        # Searching since before the race: wait for it, or stop it with the race.
        while not self._finished.wait(0.02):
            if stop.is_set():
                self._early_stop.set()
                self._finished.wait()
        if self.outcome is None:
            self.outcome = MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, "discarded")

    def _search(
        self, time_limit: float, stop: threading.Event, progress: ProgressFn | None
    ) -> None:
        best: int | None = None
        answer: dict[str, Any] = {}
        if self._discarded:
            self.outcome = MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, "discarded")
            return
        waited = time.perf_counter()
        if stop.wait(min(self.delay, time_limit)):  # True once set, also with no delay
            self.outcome = MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, "stopped")
            return
        time_limit -= time.perf_counter() - waited
        self.start(time_limit)
        process = self._process
        if process is None:  # discarded, or the child could not start
            if self.outcome is None:
                self.outcome = MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, "discarded")
            return
        assert process.stdout is not None
        started = self._started
        deadline = started + self._limit
        # Leaving ``process`` closes its pipes and waits for it (killed by then if need be).
        with reaped(process), interrupting(process.kill, deadline, stop, "maxsat-child"):
            for line in process.stdout:
                try:
                    message = json.loads(line) if line.endswith("\n") else None
                except ValueError:
                    message = None
                if not isinstance(message, dict):  # cut short by the kill, or not ours
                    process.kill()
                    break
                if "status" in message:
                    answer = message
                elif "bound" in message:
                    best = int(message["bound"])
                    if progress is not None:
                        progress(Progress(None, float(best), time.perf_counter() - started))
        seconds = time.perf_counter() - started
        if not answer:
            detail = "stopped" if stop.is_set() else f"child ended ({process.returncode})"
            self.outcome = MaxSatOutcome(Status.UNKNOWN, {}, best, seconds, detail)
            return
        slots = {int(m): int(s) for m, s in answer.get("slots", {}).items()}
        self.outcome = MaxSatOutcome(
            Status(answer["status"]), slots, answer.get("bound", best), seconds, answer["detail"]
        )

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

    def halt(self) -> None:
        if self._process is not None:
            self._process.kill()  # nothing once it has been waited for


def run_uwrmaxsat(instance: MeetingInstance) -> MaxSatOutcome:
    """UWrMaxSat on :data:`UWRMAXSAT_ENCODING`, in this thread until it ends: it takes no
    interrupt, so only in a child that can be killed (``main``).

    hermax's native binding is called directly (``UWRMAXSAT_MODULE``): its Python wrapper
    checks and records every clause, 0.9 s of forum-13crafc's 135,000 clauses against 0.08 s
    for the native calls alone, and then reads back every variable's value."""
    import importlib

    import hermax.core  # noqa: F401  (loads the GMP library the native modules link to)

    native = importlib.import_module(f"hermax.core.{UWRMAXSAT_MODULE}")
    started = time.perf_counter()
    encoding = BreaksEncoding(instance, UWRMAXSAT_ENCODING)
    solver = native.UWrMaxSAT()
    add = solver.addClause
    for clause in encoding.hard:
        add(clause, None)
    for lit in encoding.soft:
        add([lit], 1)
    if not encoding.soft:
        # Nothing to minimise: one soft unit on a fresh variable, always satisfiable,
        # as hermax's wrapper does (the solver has failed on formulas without any).
        add([encoding.pool.top + 1], 1)
    answer = int(solver.solve())
    if answer == _OPTIMUM:
        true = [v for v in range(1, encoding.pool.top + 1) if solver.getValue(v) is True]
        slots = encoding.slots_from_model(true)
        return MaxSatSearch._outcome(Status.OPTIMAL, slots, int(solver.getCost()), started)
    if answer == _UNSAT:
        return MaxSatSearch._outcome(Status.INFEASIBLE, {}, None, started)
    return MaxSatSearch._outcome(Status.UNKNOWN, {}, None, started, f"uwrmaxsat {answer}")


def main(argv: list[str]) -> int:
    """The child: an instance (json_format) on stdin; ``argv[0]`` the seconds it may search,
    ``argv[1]`` (optional) the engine, ``rc2`` (default) or ``uwrmaxsat``. Writes one JSON
    line per raised bound (``{"bound": k}``; RC2 only), then the outcome."""
    seconds = float(argv[0])
    engine = argv[1] if len(argv) > 1 else "rc2"
    limit_child(CHILD_MEMORY_BYTES, 1 + math.ceil(seconds))
    instance = instance_from_dict(json.loads(sys.stdin.read()))

    def report(bound: int) -> None:
        print(json.dumps({"bound": bound}), flush=True)

    if engine == "uwrmaxsat":
        outcome = run_uwrmaxsat(instance)
    elif engine == "rc2":
        outcome = MaxSatSearch(instance).run(seconds, on_bound=report)
    else:
        outcome = MaxSatOutcome(Status.UNKNOWN, {}, None, 0.0, f"no engine {engine!r}")
    answer = {
        "status": outcome.status.value,
        "slots": {str(m): s for m, s in outcome.slots.items()},
        "bound": outcome.bound,
        "detail": outcome.detail,
    }
    print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
