"""A time sweep: fill the slots in order, keeping everybody's meetings contiguous.

The participant-by-participant greedy (``greedy.py``) decides one person's day at a time and
strands meetings on tight events, where many participants can only make their meetings by
being busy in every slot they are present (hosts at a table for a window, exactly as many
visitors as hosts). The sweep instead decides slot by slot which meetings happen now, as a
matching of the participants free in that slot, weighted by urgency:

1. *tight* participants first: as many meetings left as usable slots left, so a slot
   without a meeting now loses a meeting for good;
2. then participants *in a run* (busy in the previous slot, meetings left): pausing them
   starts a break;
3. then those resuming after a gap (the break exists already; resuming early avoids a
   second one), then those who have not started, the least slack first;
4. within that, the meeting whose allowed slots run out soonest.

A greedy pass by weight picks the meetings, then tight and running participants left out
take a partner from a less urgent meeting when that partner is free otherwise (one
exchange). Randomised tie-breaking gives different sweeps for restarts. Fixed and pinned
meetings and ``start`` placements are placed first; precedences, caps, day parts, forbidden
slots and the shared-table capacity are respected; what cannot be placed is left out for the
local search.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import numpy as np
from scipy.optimize import linear_sum_assignment

from scheduler.meetings.instance import MeetingInstance

_TIGHT, _RUN, _RESUME, _FRESH = 4_000, 1_000, 300, 100
_EDF = 5


def sweep_schedule(
    instance: MeetingInstance,
    rng: random.Random | None = None,
    start: Mapping[int, int] | None = None,
    exact_matching: bool = True,
    noise: float = 1.0,
) -> dict[int, int]:
    """Meeting index -> slot for as many meetings as the sweep places.

    When the meeting graph is bipartite (hosts and visitors) and ``exact_matching`` is set,
    each slot's meetings are a maximum-weight matching; otherwise they are picked greedily.
    """
    inst = instance
    rng = rng or random.Random(0)
    n_slots = inst.n_slots
    capacity = len(inst.shared_tables)
    slot_of: dict[int, int] = {}
    busy: dict[str, set[int]] = {p.id: set() for p in inst.participants}
    count: dict[str, int] = {p.id: 0 for p in inst.participants}
    cap = {p.id: p.max_meetings for p in inst.participants}
    shared_used = [0] * n_slots
    shared = [inst.uses_shared_table(m) for m in inst.meetings]
    allowed = [frozenset(s) for s in inst.allowed_slots]
    last_allowed = [max(s) if s else -1 for s in inst.allowed_slots]
    preds: dict[int, list[int]] = {}
    for earlier, later in inst.precedences:
        preds.setdefault(inst.meeting_index[later], []).append(inst.meeting_index[earlier])

    def place(m: int, s: int) -> None:
        slot_of[m] = s
        for p in inst.meetings[m].participants:
            busy[p].add(s)
            count[p] += 1
        if shared[m]:
            shared_used[s] += 1

    def unplace(m: int) -> None:
        s = slot_of.pop(m)
        for p in inst.meetings[m].participants:
            busy[p].discard(s)
            count[p] -= 1
        if shared[m]:
            shared_used[s] -= 1

    colour = _two_colouring(inst) if exact_matching else None
    fixed = [m for m in range(len(inst.meetings)) if len(inst.allowed_slots[m]) == 1]
    for m, s in {**{m: inst.allowed_slots[m][0] for m in fixed}, **(start or {})}.items():
        meeting = inst.meetings[m]
        if m in slot_of or any(s in busy[p] for p in meeting.participants):
            continue
        if shared[m] and shared_used[s] >= capacity:
            continue
        place(m, s)

    pending = {m for m in range(len(inst.meetings)) if m not in slot_of and allowed[m]}
    remaining: dict[str, set[int]] = {p.id: set() for p in inst.participants}
    for m in pending:
        for p in inst.meetings[m].participants:
            remaining[p].add(m)
    # Usable slots per participant: the union of its meetings' allowed slots.
    usable: dict[str, list[int]] = {
        p.id: sorted({s for m in inst.meetings_of[p.id] for s in inst.allowed_slots[m]})
        for p in inst.participants
    }

    def left_to_place(p: str) -> int:
        n = len(remaining[p])
        limit = cap[p]
        return n if limit is None else min(n, limit - count[p])

    starts_cache: dict[str, tuple[int, frozenset[int]]] = {}

    def contiguous_starts(p: str) -> frozenset[int]:
        """Slots from which ``p``'s remaining meetings fit back to back (around its placed
        ones), by earliest-deadline-first: exact for one person, ignoring everybody else."""
        key = count[p]
        cached = starts_cache.get(p)
        if cached is not None and cached[0] == key:
            return cached[1]
        todo = [m for m in remaining[p] if allowed[m]]
        need = left_to_place(p)
        later_busy = busy[p]
        found: set[int] = set()
        for t0 in range(n_slots):
            if any(b < t0 for b in later_busy):
                continue
            left = set(todo)
            placed = 0
            ahead = sum(1 for b in later_busy if b >= t0)
            t = t0
            while t < n_slots and (placed < need or ahead > 0):
                if t in later_busy:
                    ahead -= 1
                else:
                    options = [m for m in left if t in allowed[m]]
                    if not options or placed >= need:
                        break
                    pick = min(options, key=lambda m: last_allowed[m])
                    left.discard(pick)
                    placed += 1
                t += 1
            if placed >= need and ahead == 0:
                found.add(t0)
        result = frozenset(found)
        starts_cache[p] = (key, result)
        return result

    for s in range(n_slots):
        free_slots_ahead: dict[str, int] = {}

        def slack(p: str, s: int = s, ahead: dict[str, int] = free_slots_ahead) -> int:
            if p not in ahead:
                ahead[p] = sum(1 for t in usable[p] if t >= s and t not in busy[p])
            return ahead[p] - left_to_place(p)

        def side(p: str, s: int = s) -> int:
            if slack(p) <= 0:
                return _TIGHT
            if s - 1 in busy[p]:
                return _RUN
            starts = contiguous_starts(p)
            if s in starts:
                # The last start that keeps the day in one block is as urgent as a run.
                return _RUN if s + 1 not in starts else _FRESH
            if count[p] > 0 or not any(t > s for t in starts):
                return _RESUME if count[p] > 0 else _FRESH
            return -_RUN  # starting now would cost a break that a later start avoids

        candidates: list[tuple[float, int]] = []
        for m in pending:
            a, b = inst.meetings[m].participants
            if s not in allowed[m] or s in busy[a] or s in busy[b]:
                continue
            if left_to_place(a) <= 0 or left_to_place(b) <= 0:
                continue
            if any(q not in slot_of or slot_of[q] >= s for q in preds.get(m, ())):
                continue
            weight = side(a) + side(b) - _EDF * (last_allowed[m] - s) + noise * rng.random()
            candidates.append((weight, m))
        candidates.sort(reverse=True)
        chosen_by: dict[str, int] = {}
        if colour is not None and candidates:
            tables = capacity - shared_used[s]
            for m in _max_weight_matching(inst, candidates, colour, shared, tables):
                place(m, s)
                a, b = inst.meetings[m].participants
                chosen_by[a] = chosen_by[b] = m
            candidates = []
        for _weight, m in candidates:
            a, b = inst.meetings[m].participants
            if a in chosen_by or b in chosen_by:
                continue
            if shared[m] and shared_used[s] >= capacity:
                continue
            place(m, s)
            chosen_by[a] = chosen_by[b] = m
        # One exchange: an urgent participant left out takes a partner from a less urgent
        # meeting, whose other side then stays free.
        for weight, m in candidates:
            if weight < _RUN or m in slot_of:
                continue
            a, b = inst.meetings[m].participants
            urgent, other = (a, b) if side(a) >= side(b) else (b, a)
            if urgent in chosen_by or side(urgent) < _RUN:
                continue
            taken = chosen_by.get(other)
            if taken is None:
                if not shared[m] or shared_used[s] < capacity:
                    place(m, s)
                    chosen_by[a] = chosen_by[b] = m
                continue
            loser = next(q for q in inst.meetings[taken].participants if q != other)
            if side(loser) >= side(urgent):
                continue
            unplace(taken)
            del chosen_by[loser], chosen_by[other]
            if shared[m] and shared_used[s] >= capacity:
                place(taken, s)
                chosen_by[loser] = chosen_by[other] = taken
                continue
            place(m, s)
            chosen_by[a] = chosen_by[b] = m
        for m in set(chosen_by.values()):
            pending.discard(m)
            for p in inst.meetings[m].participants:
                remaining[p].discard(m)
    return slot_of


def _two_colouring(instance: MeetingInstance) -> dict[str, int] | None:
    """Side of each participant if the meeting graph is bipartite (hosts and visitors)."""
    colour: dict[str, int] = {}
    for p in instance.participants:
        if p.id in colour:
            continue
        colour[p.id] = 0
        stack = [p.id]
        while stack:
            x = stack.pop()
            for m in instance.meetings_of[x]:
                for y in instance.meetings[m].participants:
                    if y == x:
                        continue
                    if y not in colour:
                        colour[y] = 1 - colour[x]
                        stack.append(y)
                    elif colour[y] == colour[x]:
                        return None
    return colour


def _max_weight_matching(
    instance: MeetingInstance,
    candidates: list[tuple[float, int]],
    colour: dict[str, int],
    shared: list[bool],
    tables: int,
) -> list[int]:
    """Maximum-weight bipartite matching (scipy's assignment solver) over the candidates with
    a positive weight; the lightest table users go if the tables run short."""
    left: dict[str, int] = {}
    right: dict[str, int] = {}
    edges: list[tuple[int, int, float, int]] = []
    for w, m in candidates:
        if w <= 0:
            continue
        a, b = instance.meetings[m].participants
        if colour[a] == 1:
            a, b = b, a
        i = left.setdefault(a, len(left))
        j = right.setdefault(b, len(right))
        edges.append((i, j, w, m))
    if not edges:
        return []
    weight = np.zeros((len(left), len(right)))
    meeting = np.full((len(left), len(right)), -1, dtype=np.int64)
    for i, j, w, m in edges:
        if w > weight[i, j]:
            weight[i, j], meeting[i, j] = w, m
    rows, cols = linear_sum_assignment(weight, maximize=True)
    picked = [
        (float(weight[i, j]), int(meeting[i, j]))
        for i, j in zip(rows, cols, strict=True)
        if meeting[i, j] >= 0 and weight[i, j] > 0
    ]
    picked.sort(reverse=True)
    out: list[int] = []
    for _w, m in picked:
        if shared[m]:
            if tables <= 0:
                continue
            tables -= 1
        out.append(m)
    return out
