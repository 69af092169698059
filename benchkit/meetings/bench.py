"""Benchmark runs: the JAIR 2022 instances and generated events at scale."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from benchkit.meetings.baseline import fcfs_baseline
from benchkit.meetings.generator import churn, generate_event
from scheduler.meetings.dzn import read_dzn
from scheduler.meetings.instance import Placement
from scheduler.meetings.options import SolveOptions
from scheduler.meetings.result import MeetingResult
from scheduler.meetings.solve import solve
from scheduler.meetings.validator import validate


def _reference_rows(directory: Path) -> list[dict[str, str]]:
    """Rows of reference-results-d2.csv (the paper's Table 5) next to the instances, if any."""
    for candidate in (
        directory / "reference-results-d2.csv",
        directory.parent / "reference-results-d2.csv",
    ):
        if candidate.is_file():
            with candidate.open(newline="", encoding="utf-8") as fh:
                return list(csv.DictReader(fh))
    return []


def reference_optima(directory: Path) -> dict[str, int]:
    """MaxSAT_obj (the proven optimum) per instance."""
    return {
        row["instance"]: int(row["MaxSAT_obj"])
        for row in _reference_rows(directory)
        if row.get("MaxSAT_obj", "").isdigit()
    }


def reference_times(directory: Path) -> dict[str, float]:
    """MaxSAT_time_s per instance: the paper's best approach (UWrMaxSat, one core)."""
    out: dict[str, float] = {}
    for row in _reference_rows(directory):
        try:
            out[row["instance"]] = float(row.get("MaxSAT_time_s", ""))
        except ValueError:
            continue  # "TO" or the summary row
    return out


def run_b2b(
    directory: str | Path,
    time_limit: float = 120.0,
    workers: int = 2,
    maxsat: bool | None = None,
) -> Iterator[dict[str, Any]]:
    """Solve every ``.dzn`` file of ``directory``; one dictionary per instance, with the
    paper's MaxSAT time and ``paper_ratio`` = paper time / ours (above 1: faster than the
    paper) when the reference file is there."""
    directory = Path(directory)
    reference = reference_optima(directory)
    paper_times = reference_times(directory)
    options = SolveOptions(
        time_limit_s=time_limit, workers=workers, allow_unscheduled=False, maxsat=maxsat
    )
    for path in sorted(directory.glob("*.dzn")):
        instance = read_dzn(path)
        result = solve(instance, options)
        row: dict[str, Any] = {
            "instance": instance.name,
            "status": result.status.value,
            "objective": result.objective,
            "bound": result.bound,
            "seconds": round(result.seconds, 2),
            "participants": len(instance.participants),
            "meetings": len(instance.meetings),
        }
        if instance.name in reference:
            row["reference"] = reference[instance.name]
        paper = paper_times.get(instance.name)
        if paper is not None:
            row["paper_maxsat_s"] = paper
            proven = result.status.value == "optimal"
            row["paper_ratio"] = round(paper / max(row["seconds"], 0.01), 3) if proven else None
        row["solver"] = result.solver
        if result.assignments:
            row["valid"] = not validate(instance, result, require_all=True)
        yield row


def _scale_row(
    size: int, solver: str, instance_meetings: int, result: MeetingResult, valid: bool
) -> dict[str, Any]:
    return {
        "participants": size,
        "solver": solver,
        "status": result.status.value,
        "meetings": instance_meetings,
        "scheduled": len(result.assignments),
        "breaks": result.objective,
        "max_breaks": max(result.breaks.values(), default=0),
        "table_changes": result.table_changes,
        "seconds": round(result.seconds, 2),
        "valid": valid,
    }


def run_scale(
    sizes: Iterable[int] = (300, 1000, 3000),
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    resolve: bool = False,
) -> Iterator[dict[str, Any]]:
    """Generated events of each size, solved by our solver and by the FCFS baseline; with
    ``resolve``, also re-solved after 2% of the meetings are cancelled and 2% added."""
    for size in sizes:
        started = time.perf_counter()
        instance = generate_event(size, seed=seed)
        generated = time.perf_counter() - started
        baseline = fcfs_baseline(instance)
        yield {
            **_scale_row(
                size,
                "fcfs-baseline",
                len(instance.meetings),
                baseline,
                not validate(instance, baseline, check_fairness=False),
            ),
            "generate_seconds": round(generated, 2),
        }
        options = SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed)
        ours = solve(instance, options)
        yield _scale_row(
            size, "clustermeet", len(instance.meetings), ours, not validate(instance, ours)
        )
        if resolve:
            published = {mid: Placement(a.slot, a.table) for mid, a in ours.assignments.items()}
            changed = churn(instance, published, seed=seed)
            again = solve(changed, options)
            new = [m.id for m in changed.meetings if m.id not in instance.meeting_index]
            yield {
                **_scale_row(
                    size,
                    "clustermeet-resolve",
                    len(changed.meetings),
                    again,
                    not validate(changed, again),
                ),
                "moves": again.moves,
                "new": len(new),
                "new_scheduled": sum(1 for mid in new if mid in again.assignments),
            }
