"""A break-aware constructive heuristic: the warm start of the CP-SAT search and the starting
point of the large-event improvement loop.

Participants with the most meetings are served first and each of their meetings takes the
slot that adds the fewest breaks to both sides, so agendas grow as contiguous blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.objective import break_delta


class GreedyState:
    """Occupancy bookkeeping shared by the greedy and the baseline."""

    def __init__(self, instance: MeetingInstance) -> None:
        self.instance = instance
        self.busy: dict[str, set[int]] = {p.id: set() for p in instance.participants}
        self.lo: dict[str, int | None] = {p.id: None for p in instance.participants}
        self.hi: dict[str, int | None] = {p.id: None for p in instance.participants}
        self.count: dict[str, int] = {p.id: 0 for p in instance.participants}
        self.cap: dict[str, int | None] = {p.id: p.max_meetings for p in instance.participants}
        self.shared_used = [0] * instance.n_slots
        self.slot_of: dict[int, int] = {}

    def participant_full(self, pid: str) -> bool:
        cap = self.cap[pid]
        return cap is not None and self.count[pid] >= cap

    def precedence_window(self, m: int) -> tuple[int, int]:
        """Slots strictly after placed predecessors and before placed successors."""
        inst = self.instance
        lo, hi = 0, inst.n_slots - 1
        mid = inst.meetings[m].id
        for earlier, later in inst.precedences:
            if later == mid and inst.meeting_index[earlier] in self.slot_of:
                lo = max(lo, self.slot_of[inst.meeting_index[earlier]] + 1)
            if earlier == mid and inst.meeting_index[later] in self.slot_of:
                hi = min(hi, self.slot_of[inst.meeting_index[later]] - 1)
        return lo, hi

    def feasible_slots(self, m: int) -> list[int]:
        inst = self.instance
        meeting = inst.meetings[m]
        a, b = meeting.participants
        if self.participant_full(a) or self.participant_full(b):
            return []
        shared = inst.uses_shared_table(meeting)
        capacity = len(inst.shared_tables)
        lo, hi = self.precedence_window(m) if inst.precedences else (0, inst.n_slots - 1)
        return [
            s
            for s in inst.allowed_slots[m]
            if lo <= s <= hi
            and s not in self.busy[a]
            and s not in self.busy[b]
            and (not shared or self.shared_used[s] < capacity)
        ]

    def place(self, m: int, slot: int) -> None:
        meeting = self.instance.meetings[m]
        for pid in meeting.participants:
            self.busy[pid].add(slot)
            lo, hi = self.lo[pid], self.hi[pid]
            self.lo[pid] = slot if lo is None else min(lo, slot)
            self.hi[pid] = slot if hi is None else max(hi, slot)
            self.count[pid] += 1
        if self.instance.uses_shared_table(meeting):
            self.shared_used[slot] += 1
        self.slot_of[m] = slot

    def cost(self, m: int, slot: int) -> int:
        return sum(
            break_delta(self.busy[pid], self.lo[pid], self.hi[pid], slot)
            for pid in self.instance.meetings[m].participants
        )


def _participant_order(instance: MeetingInstance) -> list[int]:
    """Meetings grouped by their busiest participant, busiest participants first."""
    degree = {pid: len(ms) for pid, ms in instance.meetings_of.items()}
    order: list[int] = []
    seen: set[int] = set()
    fixed = [m for m in range(len(instance.meetings)) if len(instance.allowed_slots[m]) == 1]
    order.extend(fixed)
    seen.update(fixed)
    for pid in sorted(degree, key=lambda p: -degree[p]):
        mine = sorted(
            instance.meetings_of[pid],
            key=lambda m: -max(degree[q] for q in instance.meetings[m].participants),
        )
        for m in mine:
            if m not in seen:
                seen.add(m)
                order.append(m)
    return order


def greedy_schedule(
    instance: MeetingInstance,
    start: Mapping[int, int] | None = None,
    order: Iterable[int] | None = None,
) -> dict[int, int]:
    """Meeting index -> slot for as many meetings as the heuristic can place.

    ``start`` holds placements to keep (pinned or previously published meetings first).
    """
    state = GreedyState(instance)
    for m, slot in (start or {}).items():
        state.place(m, slot)
    for m in order if order is not None else _participant_order(instance):
        if m in state.slot_of:
            continue
        slots = state.feasible_slots(m)
        if not slots:
            continue
        meeting = instance.meetings[m]
        prev = instance.previous.get(meeting.id)

        def key(
            s: int, m: int = m, prev_slot: int | None = prev.slot if prev else None
        ) -> tuple[int, int, int]:
            stay = 0 if prev_slot is None or s == prev_slot else 1
            return (stay, state.cost(m, s), s)

        state.place(m, min(slots, key=key))
    return state.slot_of
