"""Exhaustive optimum of tiny instances, to cross-check the expected values in the tests."""

from __future__ import annotations

import itertools

from scheduler.meetings import MeetingInstance


def brute_force_optimum(instance: MeetingInstance) -> int | None:
    """Minimal total breaks with every meeting scheduled, or None if infeasible."""
    best: int | None = None
    domains = instance.allowed_slots
    capacity = len(instance.shared_tables)
    for slots in itertools.product(*domains):
        busy: dict[str, list[int]] = {p.id: [] for p in instance.participants}
        per_slot = [0] * instance.n_slots
        for meeting, s in zip(instance.meetings, slots, strict=True):
            busy[meeting.participant_a].append(s)
            busy[meeting.participant_b].append(s)
            if instance.uses_shared_table(meeting):
                per_slot[s] += 1
        if any(c > capacity for c in per_slot):
            continue
        if any(len(set(v)) != len(v) for v in busy.values()):
            continue
        slot_of = {m.id: s for m, s in zip(instance.meetings, slots, strict=True)}
        if any(slot_of[e] >= slot_of[lt] for e, lt in instance.precedences):
            continue
        breaks = {}
        for pid, v in busy.items():
            if v:
                o = sorted(v)
                breaks[pid] = sum(1 for a, b in itertools.pairwise(o) if b - a > 1)
        if instance.fairness is not None:
            if instance.fairness_excludes_forced:
                # Limits from the hand-checked forced_breaks (test_forced_breaks.py).
                limits = {pid: instance.fairness + instance.forced_breaks[pid] for pid in breaks}
                if any(breaks[pid] > limits[pid] for pid in breaks):
                    continue
            elif max(breaks.values()) - min(breaks.values()) > instance.fairness:
                continue
        total = sum(breaks.values())
        best = total if best is None else min(best, total)
    return best
