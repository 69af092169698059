"""Second, cheap phase: tables for a fixed slot plan.

The CP-SAT model only bounds how many meetings share a slot, so any slot plan it returns has a
table plan. Assigning tables afterwards keeps the model small enough for large events; the
greedy below keeps published tables, keeps exhibitors at their booth and lets a participant
stay at the table of their previous meeting whenever it is free.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from scheduler.meetings.instance import MeetingInstance


def assign_tables(instance: MeetingInstance, slots: Mapping[str, int]) -> dict[str, str | None]:
    """Meeting id -> table id (None for online meetings) for meetings placed in ``slots``."""
    out: dict[str, str | None] = {}
    last_table: dict[str, str] = {}
    by_slot: dict[int, list[str]] = {}
    for mid, s in slots.items():
        by_slot.setdefault(s, []).append(mid)
    for s in sorted(by_slot):
        free = list(instance.shared_tables)
        pending: list[str] = []
        for mid in sorted(by_slot[s], key=lambda i: instance.meeting_index[i]):
            meeting = instance.meetings[instance.meeting_index[mid]]
            if meeting.is_online:
                out[mid] = None
                continue
            booth = instance.booth_for_meeting(meeting)
            if booth is not None:
                out[mid] = booth
                continue
            pending.append(mid)
        # Published tables first (pinned ones before the rest), then a side's last table.
        pending.sort(key=lambda mid: (mid not in instance.pinned, mid not in instance.previous))
        unplaced: list[str] = []
        for mid in pending:
            meeting = instance.meetings[instance.meeting_index[mid]]
            prev = instance.previous.get(mid)
            wishes = []
            if prev is not None and prev.slot == s and prev.table is not None:
                wishes.append(prev.table)
            wishes.extend(last_table[p] for p in meeting.participants if p in last_table)
            chosen = next((t for t in wishes if t in free), None)
            if chosen is None:
                unplaced.append(mid)
                continue
            free.remove(chosen)
            out[mid] = chosen
        for mid in unplaced:
            if not free:
                raise AssertionError(f"slot {s} holds more meetings than shared tables")
            out[mid] = free.pop(0)
        for mid in by_slot[s]:
            table = out[mid]
            if table is None:
                continue
            for p in instance.meetings[instance.meeting_index[mid]].participants:
                last_table[p] = table
    return out


def count_table_changes(
    instance: MeetingInstance, slots: Mapping[str, int], tables: Mapping[str, str | None]
) -> int:
    """How often someone walks to a different table between two in-person meetings."""
    seq: dict[str, list[tuple[int, str]]] = {}
    for mid, s in slots.items():
        table = tables.get(mid)
        if table is None:
            continue
        for p in instance.meetings[instance.meeting_index[mid]].participants:
            seq.setdefault(p, []).append((s, table))
    changes = 0
    for items in seq.values():
        items.sort()
        changes += sum(1 for (_, a), (_, b) in itertools.pairwise(items) if a != b)
    return changes
