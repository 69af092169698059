"""Turning a slot plan into a :class:`MeetingResult`: tables, breaks, explanations, diff.

Every producer of schedules (the CP-SAT solve, the large-event loop, the FCFS baseline)
goes through here, so their results are comparable.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from scheduler.meetings.diff import schedule_diff
from scheduler.meetings.explain import explain_unscheduled
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.objective import count_breaks
from scheduler.meetings.result import Assignment, MeetingResult, Status
from scheduler.meetings.tables import assign_tables, count_table_changes


def participant_breaks(instance: MeetingInstance, slots: Mapping[str, int]) -> dict[str, int]:
    busy: dict[str, list[int]] = {p.id: [] for p in instance.participants}
    for mid, s in slots.items():
        for p in instance.meetings[instance.meeting_index[mid]].participants:
            busy[p].append(s)
    return {pid: count_breaks(v) for pid, v in busy.items()}


def build_result(
    instance: MeetingInstance,
    status: Status,
    slots: Mapping[str, int],
    seconds: float,
    *,
    bound: float | None = None,
    tables: Mapping[str, str | None] | None = None,
    solver: str = "cp-sat",
) -> MeetingResult:
    if status in (Status.INFEASIBLE, Status.UNKNOWN) and not slots:
        return MeetingResult(
            status=status, objective=None, bound=bound, seconds=seconds, solver=solver
        )
    table_of = dict(tables) if tables is not None else assign_tables(instance, slots)
    assignments = {mid: Assignment(slot=s, table=table_of[mid]) for mid, s in slots.items()}
    breaks = participant_breaks(instance, slots)
    weight = sum(instance.meetings[instance.meeting_index[mid]].priority for mid in slots)
    moves = sum(
        1
        for mid, prev in instance.previous.items()
        if mid in instance.meeting_index
        and mid not in instance.pinned
        and (mid not in slots or slots[mid] != prev.slot)
    )
    return MeetingResult(
        status=status,
        objective=sum(breaks.values()),
        bound=bound,
        seconds=seconds,
        assignments=MappingProxyType(assignments),
        breaks=MappingProxyType(breaks),
        unscheduled=explain_unscheduled(instance, slots),
        diff=schedule_diff(instance.previous, assignments) if instance.previous else None,
        scheduled_weight=weight,
        moves=moves,
        table_changes=count_table_changes(instance, slots, table_of),
        solver=solver,
    )
