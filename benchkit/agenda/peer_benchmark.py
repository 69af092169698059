"""Side-by-side run against conference-scheduler (PuLP + CBC) on the PyCon UK 2016 talks.

Both solvers get the same hard rules (talk venues only, one talk per venue and slot,
45-minute talks only in the 45-minute slot, speaker half-days away) and the same
objective: total audience overflow, the sum over talks of max(0, demand - capacity).
The peer takes that objective as a custom objective function, linear in its x[event,
slot] because each event sits in exactly one slot. Both solutions go through the
validator. conference-scheduler is a development dependency, imported only here.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from benchkit.agenda.pyconuk import (
    DAY_START,
    DAYS,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    TALK_SLOTS,
    PyconukData,
    build_instance,
    generate,
)
from scheduler.agenda.instance import AgendaInstance, Placement
from scheduler.agenda.solve import SolveOptions, solve
from scheduler.agenda.validator import check_result, validate_agenda

OURS = "clustermeet CP-SAT"
PEER = "conference-scheduler PuLP+CBC"


def run_agenda_bench(
    time_limit_s: float = 60.0,
    seed: int = 2016,
    workers: int = 2,
    repeats: int = 1,
    talk_limits: tuple[int | None, ...] = (None,),
) -> list[dict[str, Any]]:
    """One row per instance and solver; ``talk_limits`` also runs reduced instances made of
    the first N talks. Seconds are medians over ``repeats`` runs, one solver at a time."""
    rows: list[dict[str, Any]] = []
    for limit in talk_limits:
        data = generate(seed, limit=limit)
        instance = build_instance(data)
        name = f"pyconuk-2016 seed {seed}, {len(data.talks)} talks"
        ours = [_run_ours(instance, time_limit_s, workers) for _ in range(repeats)]
        peer = [_run_peer(data, instance, time_limit_s, workers) for _ in range(repeats)]
        our_row, peer_row = _summarise(name, OURS, ours), _summarise(name, PEER, peer)
        peer_row["time_ratio_peer_over_ours"] = round(
            peer_row["seconds"] / max(our_row["seconds"], 1e-9), 1
        )
        peer_row["same_objective"] = peer_row["objective"] == our_row["objective"]
        rows += [our_row, peer_row]
    return rows


def _summarise(name: str, solver: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [run["seconds"] for run in runs]
    last = runs[-1]
    return {
        "instance": name,
        "solver": solver,
        "status": last["status"],
        "objective": last["objective"],
        "bound": last.get("bound"),
        "seconds": round(statistics.median(seconds), 3),
        "seconds_runs": [round(s, 3) for s in seconds],
        "valid": all(run["valid"] for run in runs),
        "violations": last["violations"],
    }


def _run_ours(instance: AgendaInstance, time_limit_s: float, workers: int) -> dict[str, Any]:
    result = solve(instance, SolveOptions(time_limit_s=time_limit_s, workers=workers))
    report = check_result(instance, result)
    return {
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "seconds": result.seconds,
        "valid": report.is_valid and result.has_agenda,
        "violations": [v.rule for v in report.violations] + list(report.mismatches),
    }


def _run_peer(
    data: PyconukData, instance: AgendaInstance, time_limit_s: float, workers: int
) -> dict[str, Any]:
    import pulp
    from conference_scheduler import scheduler

    started = time.perf_counter()
    events, slots, where = peer_problem(data, instance)
    cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, threads=workers)
    try:
        solution = scheduler.solution(events, slots, objective_function=_overflow, solver=cbc)
    except ValueError:
        solution = None
    seconds = time.perf_counter() - started
    if solution is None:
        return {
            "status": "no solution",
            "objective": None,
            "seconds": seconds,
            "valid": False,
            "violations": [],
        }
    placements = tuple(Placement(events[event].name, *where[slot]) for event, slot in solution)
    report = validate_agenda(instance, placements)
    return {
        "status": "solved",
        "objective": report.objective,
        "seconds": seconds,
        "valid": report.is_valid,
        "violations": [v.rule for v in report.violations],
    }


def _overflow(events: list[Any], slots: list[Any], X: Any, **_: Any) -> Any:
    import pulp

    return pulp.lpSum(
        (event.demand - slot.capacity) * X[row, col]
        for row, event in enumerate(events)
        for col, slot in enumerate(slots)
        if event.demand > slot.capacity
    )


def peer_problem(
    data: PyconukData, instance: AgendaInstance
) -> tuple[list[Any], list[Any], list[tuple[str, int]]]:
    """The peer's events and slots, and for each slot our (room, start slot)."""
    from conference_scheduler.resources import Event, Slot

    hours, minutes = (int(part) for part in DAY_START.split(":"))
    slots: list[Any] = []
    where: list[tuple[str, int]] = []
    for room in instance.rooms:
        if "talk" not in room.features:
            continue
        for day_index, day in enumerate(DAYS):
            midnight = datetime.fromisoformat(day)
            for start, length in TALK_SLOTS:
                offset = hours * 60 + minutes + start * SLOT_MINUTES
                half = "morning" if start < SLOTS_PER_DAY // 2 else "afternoon"
                slots.append(
                    Slot(
                        venue=room.name,
                        starts_at=midnight + timedelta(minutes=offset),
                        duration=length,
                        capacity=room.capacity,
                        session=f"{day} {half}",
                    )
                )
                where.append((room.id, day_index * SLOTS_PER_DAY + start))
    events = []
    for talk in data.talks:
        away = set(data.unavailable.get(talk.speaker or "", ()))
        unavailable = [
            slot
            for slot, (_, start) in zip(slots, where, strict=True)
            if away & set(range(start, start + slot.duration // SLOT_MINUTES))
        ]
        events.append(Event(talk.id, talk.minutes, demand=talk.demand, unavailability=unavailable))
    return events, slots, where
