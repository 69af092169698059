"""The fewest breaks by SAT, counted up from the proven bound, over runs where there is none.

``zero_break.py`` asks whether a schedule without a single break exists, with a Boolean per
possible run of each participant's meetings. This module extends that encoding to the
whole pure benchmark problem (every meeting placed, breaks summed): a participant either
takes one of their runs, or is *released* and has their breaks counted slot by slot, as in
``maxsat_encoding.py`` (busy, busy somewhere before, a break ending at a slot). Released means
at least one break, so whoever has none is in a run, and the run Booleans, the busy counts
per slot and the per-side balance of ``zero_break`` keep their strength.

The search is a linear one, up from a proven lower bound ``k``: "at most ``k`` breaks" (a
totalizer over the break ends, incremental in CaDiCaL); a refutation proves ``k + 1``, a
schedule is optimal. On the capacity-tight JAIR originals whose optimum is a handful of
breaks this proves what CP-SAT and RC2 need half a minute for (forum-13crafb: 6 breaks in
9 s, docs/benchmarks/meetings.md). It races beside CP-SAT as a :class:`MaxSatContender`
in a child process (``python -m scheduler.meetings.few_breaks SECONDS LOWER``): CaDiCaL
cannot be interrupted.

Fairness enters as a limit per participant (:meth:`MeetingInstance.break_limit`), so only
where that is exact (``maxsat_encoding.fairness_per_participant``).
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Sequence

from scheduler.meetings.child import limit_child
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.json_format import instance_from_dict
from scheduler.meetings.maxsat_encoding import fairness_per_participant, maxsat_unsupported
from scheduler.meetings.result import Status
from scheduler.meetings.zero_break import (
    SOLVER,
    RunsProblem,
    fits,
    per_slot_counts,
    precedence_clauses,
    runs_problem,
)

CHILD_MEMORY_BYTES = 2 << 30

BoundFn = Callable[[int], None]


def few_breaks_problem(instance: MeetingInstance) -> tuple[RunsProblem, list[int | None]] | None:
    """The runs problem of ``instance`` and each participant's break limit (by index), or
    None where the encoding is not exact: what ``runs_problem`` declines, booths, caps and
    re-solves, fairness that is not a limit per participant. Precedences are clauses, as in
    ``zero_break``. How large an event it races on is the solve's choice
    (``SolveOptions.maxsat_max_pairs``)."""
    problem = runs_problem(instance)
    if (
        problem is None
        or maxsat_unsupported(instance) is not None
        or (instance.fairness is not None and not fairness_per_participant(instance))
    ):
        return None
    limits: list[int | None] = [None] * problem.n_people
    for pid, p in instance.participant_index.items():
        if p < problem.n_people:
            limits[p] = instance.break_limit(pid)
    return problem, limits


class Encoding:
    """CNF of "every meeting placed, each participant in one run or released with their
    breaks counted"; ``ends`` are the break-end literals, one true per break."""

    def __init__(self, problem: RunsProblem, limits: Sequence[int | None]) -> None:
        from pysat.formula import IDPool

        self.problem = problem
        self.pool = IDPool()
        self.clauses: list[list[int]] = []
        self.x: dict[tuple[int, int], int] = {}
        self.ends: list[int] = []
        self.mine = problem.meetings_by_participant()
        self._meetings()
        busy: dict[tuple[int, int], int | bool] = {}
        for p, meetings in enumerate(self.mine):
            if meetings:
                busy.update(self._participant(p, limits[p]))
        self.clauses.extend(per_slot_counts(problem, problem.n_people, busy, self.pool))
        self.clauses.extend(precedence_clauses(problem, self.x))

    def _var(self, *key: object) -> int:
        return int(self.pool.id(key))

    def _atmost(self, lits: list[int], k: int) -> None:
        from pysat.card import CardEnc, EncType

        if len(lits) > k:
            self.clauses.extend(
                CardEnc.atmost(lits, k, vpool=self.pool, encoding=EncType.seqcounter).clauses
            )

    def _meetings(self) -> None:
        for m, slots in enumerate(self.problem.allowed):
            lits = [self.x.setdefault((m, s), self._var("x", m, s)) for s in slots]
            self.clauses.append(lits)
            self._atmost(lits, 1)

    def _participant(self, p: int, limit: int | None) -> dict[tuple[int, int], int | bool]:
        """Busy per slot (False where no meeting of ``p`` may be), runs, and, where ``p`` may
        have a break, the release and the break ends."""
        meetings, n_slots = self.mine[p], self.problem.n_slots
        length = len(meetings)
        # No pruning by the partners' runs: a partner may be released.
        firsts = [
            a
            for a in range(n_slots - length + 1)
            if fits([{s for s in self.problem.allowed[m] if a <= s < a + length} for m in meetings])
        ]
        runs = [self._var("run", p, a) for a in firsts]
        released = self._var("released", p) if length >= 2 and limit != 0 else None
        self.clauses.append([*runs, *([released] if released else [])])
        self._atmost(runs, 1)
        if released:
            self.clauses.extend([-released, -r] for r in runs)
        busy: dict[tuple[int, int], int | bool] = {}
        for s in range(n_slots):
            here = [self.x[m, s] for m in meetings if (m, s) in self.x]
            self._atmost(here, 1)
            cover = [self._var("run", p, a) for a in firsts if a <= s < a + length]
            if not here:
                busy[p, s] = False
                self.clauses.extend([-r] for r in cover)
                continue
            b = self._var("busy", p, s)
            busy[p, s] = b
            self.clauses.extend([-lit, b] for lit in here)
            self.clauses.append([-b, *here])
            self.clauses.extend([-r, b] for r in cover)  # in a run: busy all through it
            self.clauses.append([-b, *cover, *([released] if released else [])])
        if released:
            self._count_breaks(p, released, busy, limit)
        return busy

    def _count_breaks(
        self, p: int, released: int, busy: dict[tuple[int, int], int | bool], limit: int | None
    ) -> None:
        """A break ends at ``s`` when ``p`` is busy there, idle just before and busy at some
        slot before that; released means at least one break."""
        ends: list[int] = []
        seen: list[int] = []  # seen[s]: busy at ``s`` or before
        # The busy literal per slot, None where no meeting of ``p`` may be (never True here).
        busy_at = [_literal(busy[p, s]) for s in range(self.problem.n_slots)]
        for s, here in enumerate(busy_at):
            parts = ([seen[-1]] if seen else []) + ([here] if here is not None else [])
            v = self._var("seen", p, s)
            self.clauses.extend([-part, v] for part in parts)
            self.clauses.append([-v, *parts])
            if here is not None and s >= 2:
                end = self._var("end", p, s)
                before = busy_at[s - 1]
                idle = [before] if before is not None else []
                self.clauses.append([-here, *idle, -seen[s - 2], end])
                self.clauses.append([-end, released])
                ends.append(end)
            seen.append(v)
        self.clauses.append([-released, *ends])
        if limit is not None:
            self._atmost(ends, limit)
        self.ends.extend(ends)

    def slots(self, model: Sequence[int]) -> dict[int, int]:
        true = {lit for lit in model if lit > 0}
        return {
            m: next(s for s in slots if self.x[m, s] in true)
            for m, slots in enumerate(self.problem.allowed)
        }


def _literal(value: int | bool) -> int | None:
    # ``bool`` is an ``int`` too: False (never busy) is no literal.
    return None if isinstance(value, bool) else value


def search(
    problem: RunsProblem,
    limits: Sequence[int | None],
    lower: int,
    on_bound: BoundFn | None = None,
) -> tuple[Status, dict[int, int], int]:
    """(OPTIMAL, slots, breaks) or (INFEASIBLE, {}, lower): "at most k breaks" for k = lower,
    lower + 1, ... until a schedule comes. ``lower`` must be proven; each refutation proves
    one more and is reported to ``on_bound``. Runs until it knows: call it where it can be
    killed (the child)."""
    from pysat.card import ITotalizer
    from pysat.solvers import Solver

    encoding = Encoding(problem, limits)
    ends = encoding.ends
    k = max(0, lower) if ends else 0  # without a possible break, one question
    with Solver(name=SOLVER, bootstrap_with=encoding.clauses) as solver:
        totalizer = None
        if ends:
            totalizer = ITotalizer(
                lits=ends, ubound=min(len(ends), k + 1), top_id=encoding.pool.top
            )
            solver.append_formula(totalizer.cnf.clauses)
        while True:
            assumptions: list[int] = []
            if totalizer is not None and k < len(ends):
                if k >= len(totalizer.rhs):
                    known = len(totalizer.cnf.clauses)
                    totalizer.increase(ubound=min(len(ends), k + 1), top_id=encoding.pool.top)
                    solver.append_formula(totalizer.cnf.clauses[known:])
                assumptions = [-totalizer.rhs[k]]
            if solver.solve(assumptions=assumptions):
                return Status.OPTIMAL, encoding.slots(solver.get_model() or ()), k
            if not assumptions:
                return Status.INFEASIBLE, {}, k
            k += 1
            if on_bound is not None:
                on_bound(k)


def main(argv: list[str]) -> int:
    """The child: an instance (json_format) on stdin; ``argv`` the seconds it may search and
    the proven lower bound. Writes ``{"bound": k}`` per refutation, then the outcome, as the
    MaxSAT child does (``maxsat.main``)."""
    seconds, lower = float(argv[0]), int(argv[1])
    limit_child(CHILD_MEMORY_BYTES, 1 + math.ceil(seconds))
    started = time.perf_counter()
    instance = instance_from_dict(json.loads(sys.stdin.read()))
    prepared = few_breaks_problem(instance)
    answer: dict[str, object]
    if prepared is None:
        answer = {"status": Status.UNKNOWN.value, "slots": {}, "bound": None, "detail": "declined"}
    else:

        def report(bound: int) -> None:
            print(json.dumps({"bound": bound}), flush=True)

        status, slots, breaks = search(*prepared, lower, report)
        answer = {
            "status": status.value,
            "slots": {str(m): s for m, s in slots.items()},
            "bound": breaks if status is Status.OPTIMAL else None,
            "detail": f"{time.perf_counter() - started:.2f} s",
        }
    print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
