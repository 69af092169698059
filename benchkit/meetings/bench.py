"""Benchmark runs: the JAIR 2022 instances and generated events at scale."""

from __future__ import annotations

import csv
import dataclasses
import gc
import random
import resource
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from benchkit.meetings.baseline import fcfs_baseline
from benchkit.meetings.generator import churn, generate_event
from benchkit.meetings.hosted_buyer import WINDOWS, generate_hosted_buyer
from benchkit.meetings.oversubscribed import generate_oversubscribed
from scheduler.meetings.dzn import read_dzn
from scheduler.meetings.instance import Meeting, MeetingInstance, Placement
from scheduler.meetings.options import SolveOptions
from scheduler.meetings.result import MeetingResult
from scheduler.meetings.solving import solve
from scheduler.meetings.validator import Violation, validate


def _reference_rows(directory: Path) -> list[dict[str, str]]:
    for candidate in (
        directory / "reference-results-d2.csv",
        directory.parent / "reference-results-d2.csv",
    ):
        if candidate.is_file():
            with candidate.open(newline="", encoding="utf-8") as fh:
                return list(csv.DictReader(fh))
    return []


def reference_optima(directory: Path) -> dict[str, int]:
    """MaxSAT_obj per instance from reference-results-d2.csv next to the instances, if any."""
    return {
        row["instance"]: int(row["MaxSAT_obj"])
        for row in _reference_rows(directory)
        if row.get("MaxSAT_obj", "").isdigit()
    }


def reference_times(directory: Path) -> dict[str, float]:
    """The paper's MaxSAT seconds per instance (its best approach), where it finished."""
    out: dict[str, float] = {}
    for row in _reference_rows(directory):
        try:
            out[row["instance"]] = float(row.get("MaxSAT_time_s", ""))
        except ValueError:
            continue
    return out


def run_b2b(
    directory: str | Path,
    time_limit: float = 120.0,
    workers: int = 2,
    maxsat: bool | None = None,
    few_breaks: bool = True,
) -> Iterator[dict[str, Any]]:
    """Solve every ``.dzn`` file of ``directory``; one dictionary per instance."""
    directory = Path(directory)
    reference = reference_optima(directory)
    paper_seconds = reference_times(directory)
    options = SolveOptions(
        time_limit_s=time_limit,
        workers=workers,
        allow_unscheduled=False,
        maxsat=maxsat,
        few_breaks=few_breaks,
    )
    for path in sorted(directory.glob("*.dzn")):
        instance = read_dzn(path)
        # The previous solves' garbage is collected here, not inside the next timed solve
        # (a full collection took 0.3 s of tic-12's 0.35 s after the forum instances).
        gc.collect()
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
        if instance.name in paper_seconds:
            # Above 1: proven faster than the paper's MaxSAT (one core, other machine).
            row["paper_maxsat_s"] = paper_seconds[instance.name]
            if result.status.value in ("optimal", "infeasible"):
                row["paper_ratio"] = round(paper_seconds[instance.name] / result.seconds, 2)
        row["solver"] = result.solver
        if result.assignments:
            row["valid"] = not validate(instance, result, require_all=True)
        yield row


def _scale_row(
    size: int,
    solver: str,
    instance_meetings: int,
    result: MeetingResult,
    violations: list[Violation],
) -> dict[str, Any]:
    """One solver's row; an invalid schedule's row names its first violations."""
    row = {
        "participants": size,
        "solver": solver,
        "status": result.status.value,
        "meetings": instance_meetings,
        "scheduled": len(result.assignments),
        "breaks": result.objective,
        "max_breaks": max(result.breaks.values(), default=0),
        "table_changes": result.table_changes,
        "seconds": round(result.seconds, 2),
        "valid": not violations,
    }
    if violations:
        row["violations"] = violation_lines(violations)
    return row


def violation_lines(violations: list[Violation]) -> list[str]:
    """The first three violations as "kind: message", for a bench row."""
    return [f"{v.kind}: {v.message}" for v in violations[:3]]


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_hosted(
    sizes: Iterable[int] = (300, 1000, 3000),
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    windows: tuple[int, int] = WINDOWS,
) -> Iterator[dict[str, Any]]:
    """Tight hosted-buyer events (``hosted_buyer.py``; a 0-break schedule exists; hosts'
    windows of ``windows`` slots), solved in strict mode (every meeting must be placed) and
    by the FCFS baseline. ``peak_rss_mb`` is the process's peak so far, so it only grows
    from one size to the next."""
    for size in sizes:
        event = generate_hosted_buyer(size, seed=seed, windows=windows)
        instance = event.instance
        baseline = fcfs_baseline(instance)
        yield {
            **_scale_row(
                size,
                "fcfs-baseline",
                len(instance.meetings),
                baseline,
                validate(instance, baseline, check_fairness=False),
            ),
            "breaks_per_100": _per_100(baseline, size),
        }
        options = SolveOptions(
            time_limit_s=time_limit, workers=workers, seed=seed, allow_unscheduled=False
        )
        ours = solve(instance, options)
        complete = len(ours.assignments) == len(instance.meetings)
        yield {
            **_scale_row(
                size,
                "clustermeet",
                len(instance.meetings),
                ours,
                validate(instance, ours, require_all=complete),
            ),
            "breaks_per_100": _per_100(ours, size),
            "peak_rss_mb": _peak_rss_mb(),
        }


def run_oversubscribed(
    participants: int = 2_000,
    requests: int = 10_000,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
) -> Iterator[dict[str, Any]]:
    """An oversubscribed event (``oversubscribed.py``): FCFS, then our solve (meetings may
    be left out) with its proven upper bound on the priority-weighted placeable meetings."""
    instance = generate_oversubscribed(participants, requests, seed=seed)
    baseline = fcfs_baseline(instance)
    ours = solve(instance, SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed))
    bound = ours.weight_bound
    for name, result, violations in (
        ("fcfs-baseline", baseline, validate(instance, baseline, check_fairness=False)),
        ("clustermeet", ours, validate(instance, ours)),
    ):
        yield {
            **_scale_row(participants, name, len(instance.meetings), result, violations),
            "scheduled_weight": result.scheduled_weight,
            "weight_bound": bound,
            "of_bound": round(result.scheduled_weight / bound, 4) if bound else None,
        }


def on_the_day_event(
    participants: int = 700, meetings: int = 800, seed: int = 0
) -> MeetingInstance:
    """A generated event (``generator.py``) cut down to its first ``meetings`` requests
    (everybody stays registered)."""
    full = generate_event(participants, seed=seed)
    return dataclasses.replace(
        full,
        meetings=full.meetings[:meetings],
        name=f"on-the-day-{participants}-{meetings}-s{seed}",
    )


def late_meeting(instance: MeetingInstance, rng: random.Random, number: int) -> Meeting:
    """A new request an organiser would accept: two participants who do not meet yet and
    have a common free slot; online if a side is remote (has online meetings already)."""
    ids = [p.id for p in instance.participants]
    pairs = {frozenset(m.participants) for m in instance.meetings}
    remote = {p for m in instance.meetings if m.is_online for p in m.participants}
    everything = frozenset(range(instance.n_slots))
    while True:
        a, b = rng.sample(ids, 2)
        common = everything - instance.forbidden_of[a] - instance.forbidden_of[b]
        if frozenset((a, b)) not in pairs and common:
            return Meeting(
                id=f"late{number}",
                participant_a=a,
                participant_b=b,
                is_online=a in remote or b in remote,
            )


def run_on_the_day(
    participants: int = 700,
    meetings: int = 800,
    changes: int = 5,
    time_limit: float = 4.0,
    seed: int = 0,
    workers: int = 2,
    publish_time_limit: float = 60.0,
) -> Iterator[dict[str, Any]]:
    """Publish a schedule (``publish_time_limit`` solve), then re-solve ``changes``
    cancellations and ``changes`` late meetings, one at a time, each from the published
    schedule into a new draft within ``time_limit`` seconds; one row per re-solve with the
    moves it made."""
    instance = on_the_day_event(participants, meetings, seed)
    first = solve(
        instance, SolveOptions(time_limit_s=publish_time_limit, workers=workers, seed=seed)
    )
    published = {mid: Placement(a.slot, a.table) for mid, a in first.assignments.items()}
    yield {
        "change": "publish",
        "participants": len(instance.participants),
        "meetings": len(instance.meetings),
        "scheduled": len(first.assignments),
        "breaks": first.objective,
        "seconds": round(first.seconds, 2),
        "valid": not validate(instance, first),
    }
    rng = random.Random(seed)
    options = SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed)
    placed = sorted(published)
    for k in range(2 * changes):
        if k % 2 == 0:
            gone = rng.choice(placed)
            changed = dataclasses.replace(
                instance,
                meetings=tuple(m for m in instance.meetings if m.id != gone),
                previous=published,
            )
            change, new_id = f"cancel {gone}", None
        else:
            late = late_meeting(instance, rng, k)
            changed = dataclasses.replace(
                instance, meetings=(*instance.meetings, late), previous=published
            )
            change, new_id = f"late {late.id}", late.id
        started = time.perf_counter()
        again = solve(changed, options)
        wall = time.perf_counter() - started
        yield {
            "change": change,
            "status": again.status.value,
            "scheduled": len(again.assignments),
            "new_placed": None if new_id is None else new_id in again.assignments,
            "moves": again.moves,
            "breaks": again.objective,
            "seconds": round(wall, 2),
            "valid": not validate(changed, again),
        }


def _per_100(result: MeetingResult, participants: int) -> float | None:
    if result.objective is None:
        return None
    return round(100 * result.objective / participants, 2)


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
                validate(instance, baseline, check_fairness=False),
            ),
            "generate_seconds": round(generated, 2),
        }
        options = SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed)
        ours = solve(instance, options)
        yield _scale_row(
            size, "clustermeet", len(instance.meetings), ours, validate(instance, ours)
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
                    validate(changed, again),
                ),
                "moves": again.moves,
                "new": len(new),
                "new_scheduled": sum(1 for mid in new if mid in again.assignments),
            }
