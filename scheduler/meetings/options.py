"""Knobs of a meeting solve."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolveOptions:
    time_limit_s: float = 60.0
    workers: int = 2
    # False: every meeting must be placed (the benchmark problem; otherwise infeasible).
    # True: meetings may be left out, maximising their priority-weighted number first.
    # None (real events): place everything if possible, otherwise fall back to True.
    allow_unscheduled: bool | None = None
    use_hint: bool = True
    implied_constraints: bool = True
    progress_interval_s: float = 1.0
    # Above this many (meeting, slot) pairs the full model is too big for one CP-SAT call
    # and the schedule is improved neighbourhood by neighbourhood instead.
    large_event_threshold: int = 20_000
    # When meetings may be left out, above this many pairs local search runs first and the
    # exact model continues from its schedule (see solve._solve_overflow).
    exact_overflow_pairs: int = 4_000
    seed: int = 0
    log_search: bool = False
