"""Differences between a re-solved schedule and the published one."""

from __future__ import annotations

from collections.abc import Mapping

from scheduler.meetings.instance import Placement
from scheduler.meetings.result import Assignment, ScheduleDiff


def schedule_diff(
    previous: Mapping[str, Placement], assignments: Mapping[str, Assignment]
) -> ScheduleDiff:
    new = sorted(mid for mid in assignments if mid not in previous)
    dropped = sorted(mid for mid in previous if mid not in assignments)
    moved = sorted(
        mid
        for mid, a in assignments.items()
        if mid in previous and (previous[mid].slot, previous[mid].table) != (a.slot, a.table)
    )
    return ScheduleDiff(new=tuple(new), moved=tuple(moved), dropped=tuple(dropped))
