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
    # Events (meetings may be left out if they do not all fit) go to the same local search
    # above this many pairs: within the limit the exact model placed fewer meetings there
    # (docs/benchmarks/meetings.md). Re-solves keep the exact model, which counts moves.
    exact_event_pairs: int = 4_000
    # Strict solves (every meeting placed) go there too above this many pairs: the largest
    # JAIR instance has 5,926 and is solved exactly in seconds, while on a tight hosted-buyer
    # event of 300 participants (9,800 pairs) the exact model found no schedule in 60 s and
    # the heuristic path placed all but one meeting (docs/benchmarks/meetings.md).
    strict_exact_pairs: int = 8_000
    # The capacity-counter model races the light one only up to this many counter Booleans:
    # the JAIR instances need at most 130,000; an event of 680 meetings and 39 tables would
    # need 420,000, taking seconds to build and half the workers from the light model.
    max_counter_booleans: int = 150_000
    # The MaxSAT engine (RC2 from python-sat, maxsat.py) as one more contender of the race on
    # strict solves it can encode: None races it with 3 workers or more (a core of its own)
    # and, on fewer, only where meetings are fixed and none ordered, in place of the counter
    # model (elsewhere, on 2 cores, taking a share from the two CP-SAT models cost more than
    # it won; docs/benchmarks/meetings.md), True always, False never.
    maxsat: bool | None = None
    # Above this many (meeting, slot) pairs neither the MaxSAT engine nor the few-breaks
    # search races (the JAIR originals have at most 5,926).
    maxsat_max_pairs: int = 8_000
    # The SAT linear search over runs (few_breaks.py) as a contender of the race on strict
    # solves it encodes exactly; False leaves it out (for comparisons).
    few_breaks: bool = True
    # UWrMaxSat (hermax, maxsat.py) in a child where the SAT search for 0 breaks runs long,
    # nothing is fixed and RC2 does not race; False leaves it out (comparisons).
    uwrmaxsat: bool = True
    # Strict large events: the span model's walk to fewer idle slots (span.py) between two
    # rounds of Kempe-chain annealing; False anneals throughout (for comparisons).
    span_walk: bool = False
    seed: int = 0
    log_search: bool = False
