"""`clustermeet bench crafted`: every crafted variant of the JAIR originals, solved once.

A variant is resolved when the solve proves it optimal or infeasible within the limit.
Every returned schedule is checked by the independent validator.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchkit.meetings.crafted import PAPER_VARIANTS, Variant, craft
from scheduler.meetings.dzn import read_dzn
from scheduler.meetings.options import SolveOptions
from scheduler.meetings.result import Status
from scheduler.meetings.solving import solve
from scheduler.meetings.validator import validate


def run_crafted(
    directory: str | Path,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    variants: tuple[Variant, ...] = PAPER_VARIANTS,
    only: str = "",
    few_breaks: bool = True,
) -> Iterator[dict[str, Any]]:
    """Solve each variant of each ``.dzn`` file of ``directory`` (names containing ``only``);
    one dictionary per variant."""
    options = SolveOptions(
        time_limit_s=time_limit, workers=workers, allow_unscheduled=False, few_breaks=few_breaks
    )
    for path in sorted(Path(directory).glob("*.dzn")):
        original = read_dzn(path)
        for variant in variants:
            instance = craft(original, variant, seed)
            if only and only not in instance.name:
                continue
            result = solve(instance, options)
            row: dict[str, Any] = {
                "instance": instance.name,
                "family": variant.family,
                "rate": variant.rate,
                "seed": seed,
                "status": result.status.value,
                "objective": result.objective,
                "bound": result.bound,
                "seconds": round(result.seconds, 2),
                "solver": result.solver,
                "resolved": result.status in (Status.OPTIMAL, Status.INFEASIBLE),
            }
            if result.status is Status.INFEASIBLE:
                row["reason"] = result.infeasible_reason
            if result.assignments:
                row["valid"] = not validate(instance, result, require_all=True)
            yield row
