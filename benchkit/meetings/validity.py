"""Many short solves across families, modes and paths, each checked by the validator.

The figures benches report (breaks, placed weight) say nothing about schedules the solver
should never return. This sweep looks for those: every result must pass the validator in
its mode (strict results of status feasible or optimal with every meeting required; status
unknown and lenient results with what they place), and every solve must return.

Families, per size and seed:

- generated events (``generator.py``) with fairness ``d`` = 0, 1, 2 and none;
- the paper's six crafted variants (``crafted.py``: forbidden slots, fixed meetings,
  precedences) of the generated event with ``d`` = 2;
- generated events cut to the meetings a lenient solve placed, with ``d`` = 0, 1, 2, so
  that a full schedule within the limits exists and strict solves have something to find;
- re-solves: the lenient schedule of the ``d`` = 2 event published, then 2% of its
  meetings cancelled and as many added (``generator.churn``), a tenth of the rest pinned;
- a tight hosted-buyer event and an oversubscribed one, once per seed.

Each in three modes (strict, lenient, the real-event default ``None``; the cut events
strict only), on the default path and with the large-event path forced
(``large_event_threshold=0``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from benchkit.meetings.bench import violation_lines
from benchkit.meetings.crafted import PAPER_VARIANTS, craft
from benchkit.meetings.generator import churn, generate_event
from benchkit.meetings.hosted_buyer import generate_hosted_buyer
from benchkit.meetings.oversubscribed import generate_oversubscribed
from scheduler.meetings.instance import MeetingInstance, Placement
from scheduler.meetings.options import SolveOptions
from scheduler.meetings.result import Status
from scheduler.meetings.solving import solve
from scheduler.meetings.validator import validate

MODES: tuple[bool | None, ...] = (False, True, None)
FAIRNESS: tuple[int | None, ...] = (0, 1, 2, None)


def validity_cases(
    sizes: Iterable[int],
    seeds: Iterable[int],
    hosted: int,
    oversubscribed: int,
    time_limit: float,
    workers: int,
) -> Iterator[tuple[str, MeetingInstance, tuple[bool | None, ...]]]:
    """(name, instance, modes to solve it in) for each case of the module docstring;
    ``hosted`` and ``oversubscribed`` are their participants (0: left out)."""
    for seed in seeds:
        lenient = SolveOptions(
            time_limit_s=time_limit, workers=workers, seed=seed, allow_unscheduled=True
        )
        for size in sizes:
            for d in FAIRNESS:
                yield f"event{size}-s{seed}-d{d}", generate_event(size, seed, d), MODES
            base = generate_event(size, seed, 2)
            for variant in PAPER_VARIANTS:
                yield f"event{size}-s{seed}+{variant.label}", craft(base, variant, seed), MODES
            for d in (0, 1, 2):
                event = generate_event(size, seed, d)
                placed = solve(event, lenient).assignments
                kept = tuple(m for m in event.meetings if m.id in placed)
                cut = dataclasses.replace(event, meetings=kept)
                yield f"cut{size}-s{seed}-d{d}", cut, (False,)
            # The lenient schedule of ``base`` published, then 2% cancelled and 2% added, a
            # tenth of what stays pinned.
            schedule = solve(base, lenient).assignments
            published = {mid: Placement(a.slot, a.table) for mid, a in schedule.items()}
            changed = churn(base, published, seed)
            pinned = frozenset(m.id for m in changed.meetings[::10] if m.id in published)
            yield f"resolve{size}-s{seed}", dataclasses.replace(changed, pinned=pinned), MODES
        if hosted:
            yield f"hosted{hosted}-s{seed}", generate_hosted_buyer(hosted, seed).instance, MODES
        if oversubscribed:
            pairs = oversubscribed * (oversubscribed - 1) // 2
            instance = generate_oversubscribed(
                oversubscribed,
                min(5 * oversubscribed, pairs // 2),
                seed=seed,
                n_slots=12,
                n_tables=max(1, oversubscribed // 8),
            )
            yield f"oversubscribed{oversubscribed}-s{seed}", instance, MODES


def run_validity(
    sizes: Iterable[int] = (120,),
    seeds: Iterable[int] = (0, 1),
    time_limit: float = 5.0,
    workers: int = 2,
    hosted: int = 300,
    oversubscribed: int = 300,
) -> Iterator[dict[str, Any]]:
    """One row per solve (see the module docstring), then a summary row."""
    solves = invalid = 0
    cases = validity_cases(sizes, seeds, hosted, oversubscribed, time_limit, workers)
    for name, instance, modes in cases:
        for mode in modes:
            default = SolveOptions(time_limit_s=time_limit, workers=workers, allow_unscheduled=mode)
            large = dataclasses.replace(default, large_event_threshold=0)
            for path, options in (("default", default), ("large", large)):
                result = solve(instance, options)
                full = result.status in (Status.OPTIMAL, Status.FEASIBLE)
                violations = validate(instance, result, require_all=mode is False and full)
                solves += 1
                invalid += bool(violations)
                row: dict[str, Any] = {
                    "case": name,
                    "mode": {False: "strict", True: "lenient", None: "event"}[mode],
                    "path": path,
                    "status": result.status.value,
                    "solver": result.solver,
                    "meetings": len(instance.meetings),
                    "scheduled": len(result.assignments),
                    "breaks": result.objective,
                    "seconds": round(result.seconds, 2),
                    "valid": not violations,
                }
                if violations:
                    row["violations"] = violation_lines(violations)
                yield row
    yield {"solves": solves, "invalid": invalid}
