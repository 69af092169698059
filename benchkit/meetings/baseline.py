"""First come, first served: what self-booking platforms do, kept as the yardstick.

Each meeting, in request order, takes the earliest slot both sides have free with a free
table; nobody looks at breaks or fairness.
"""

from __future__ import annotations

import time

from scheduler.meetings.greedy import GreedyState
from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.result import MeetingResult, Status
from scheduler.meetings.schedule_result import build_result


def fcfs_baseline(instance: MeetingInstance) -> MeetingResult:
    started = time.perf_counter()
    state = GreedyState(instance)
    for m in range(len(instance.meetings)):
        slots = state.feasible_slots(m)
        if slots:
            state.place(m, slots[0])
    plan = {instance.meetings[m].id: s for m, s in state.slot_of.items()}
    # Tables in the same first-free spirit: meeting order, lowest free table.
    tables: dict[str, str | None] = {}
    used: dict[int, set[str]] = {}
    for m in sorted(state.slot_of):
        meeting = instance.meetings[m]
        s = state.slot_of[m]
        if meeting.is_online:
            tables[meeting.id] = None
            continue
        booth = instance.booth_for_meeting(meeting)
        taken = used.setdefault(s, set())
        table = booth or next(t for t in instance.shared_tables if t not in taken)
        taken.add(table)
        tables[meeting.id] = table
    return build_result(
        instance,
        Status.FEASIBLE,
        plan,
        time.perf_counter() - started,
        tables=tables,
        solver="fcfs-baseline",
    )
