"""Fast pure-Python improvement of a schedule: insert, move and swap meetings.

This is what makes 3,000-participant events tractable in a minute: each pass evaluates every
meeting in every slot with exact incremental costs, far more moves per second than a CP-SAT
neighbourhood can offer at that size. The cost is the objective of ``objective.py`` with the
weights of one step (:func:`step_weights`): a break above the fairness bound costs more than
any move and break change a step can make, a move more than the breaks it can save; placing
a meeting is never traded against them (``insert_unplaced`` places whatever fits without
creating fairness excess).

Kempe chains (``kempe_insert``, ``kempe_anneal``) reach further on tight events, where nearly
everybody is busy in every slot they can use and single moves have nowhere to go: moving a
meeting from slot s to t, its partner's meeting in t goes to s, and so on along the path;
everybody keeps one meeting per slot and only the two ends of the path change their days.
Block shifts (``shift_step``, one annealing step in eight on someone with a break) chain
several of them: a whole run of a person's meetings moves across a short gap, one slot at a
time, judged as one step (docs/benchmarks/meetings.md).

Ejection chains (``eject_walk``) take over from the annealing on large events: from someone
with a break, a chain that mends their day, then from the person at its far end (whose day
it changed) the chain that mends theirs, and so on a few links deep. The links up to a
saving are kept; a sequence that ends where it started in breaks is kept most of the time
(the break has moved to where another chain may close it), one that costs a break now and
then, less often as the walk goes on; the walk ends on the best schedule it met.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import time
from collections.abc import Callable, Mapping

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.objective import (
    count_breaks,
    ideal_score,
    mask_breaks,
    moved_meetings,
    step_weights,
)

_WEIGHTS = step_weights()
_EXCESS_W = _WEIGHTS.excess
_MOVE_W = _WEIGHTS.move
# Longest Kempe chain tried: longer ones are rare and cost more than they are worth.
_MAX_CHAIN = 200
# Block shifts (``shift_step``) cross gaps of at most this many slots.
_MAX_SHIFT = 2
# One annealing step in SHIFT_EVERY on a participant with a break is a block shift.
SHIFT_EVERY = 8
# Ejection chains (``eject_walk``): links per sequence, chains tried per link (the ones that
# mend the link's person most), and how often a sequence that ends level is kept.
# Measured on tight hosted-buyer events of 3,000 participants (docs/benchmarks/meetings.md).
EJECT_DEPTH, EJECT_WIDTH, EJECT_PLATEAU = 4, 6, 0.8
# A sequence one break worse is kept with a probability falling from this to 0 over the walk.
EJECT_WORSE = 0.04


class _Pool:
    """A set of people that can be drawn from at random, updated one person at a time."""

    def __init__(self, people: list[str]) -> None:
        self.items = list(people)
        self._index = {p: i for i, p in enumerate(self.items)}

    def draw(self, fraction: float) -> str:
        """The member at ``fraction`` (in [0, 1)) of the way through the pool."""
        return self.items[int(fraction * len(self.items))]

    def update(self, person: str, member: bool) -> None:
        """Add ``person`` if ``member``, else take them out (the last member takes their
        place, so both are constant time)."""
        i = self._index.get(person)
        if member and i is None:
            self._index[person] = len(self.items)
            self.items.append(person)
        elif not member and i is not None:
            last = self.items.pop()
            del self._index[person]
            if last != person:
                self.items[i] = last
                self._index[last] = i


class LocalSearch:
    def __init__(
        self, instance: MeetingInstance, plan: Mapping[int, int], movable: set[int], seed: int = 0
    ) -> None:
        self.instance = instance
        self.rng = random.Random(seed)
        self.movable = movable
        self.slot_of: dict[int, int] = dict(plan)
        self.busy: dict[str, dict[int, int]] = {p.id: {} for p in instance.participants}
        # The same busy slots as bits (bit s: busy in s), for the ejection walk's scores.
        self.mask: dict[str, int] = dict.fromkeys(self.busy, 0)
        self.shared_used = [0] * instance.n_slots
        self.capacity = len(instance.shared_tables)
        self.cap = {p.id: p.max_meetings for p in instance.participants}
        self.limit = {p.id: instance.break_limit(p.id) for p in instance.participants}
        self._allowed = [frozenset(slots) for slots in instance.allowed_slots]
        self._shared = [instance.uses_shared_table(meeting) for meeting in instance.meetings]
        # Each meeting's two participants, read on every step of a chain.
        self._pair = [meeting.participants for meeting in instance.meetings]
        # Ordered meetings (precedences) move too, only to slots that keep their order.
        self._earlier: dict[int, list[int]] = {}
        self._later: dict[int, list[int]] = {}
        index = instance.meeting_index
        for earlier, later in instance.precedences:
            self._earlier.setdefault(index[later], []).append(index[earlier])
            self._later.setdefault(index[earlier], []).append(index[later])
        for m, s in plan.items():
            self._occupy(m, s)

    # ---------------------------------------------------------------- bookkeeping
    def _occupy(self, m: int, s: int) -> None:
        bit = 1 << s
        for p in self._pair[m]:
            self.busy[p][s] = m
            self.mask[p] |= bit
        if self._shared[m]:
            self.shared_used[s] += 1
        self.slot_of[m] = s

    def _release(self, m: int) -> int:
        s = self.slot_of.pop(m)
        bit = 1 << s
        for p in self._pair[m]:
            del self.busy[p][s]
            self.mask[p] ^= bit
        if self._shared[m]:
            self.shared_used[s] -= 1
        return s

    def _restore(self, plan: Mapping[int, int]) -> None:
        """Back to ``plan`` (a schedule met earlier in the search)."""
        for m in list(self.slot_of):
            self._release(m)
        for m, s in plan.items():
            self._occupy(m, s)

    def _broken(self, people: list[str]) -> list[str]:
        """Those of ``people`` with a break."""
        return [p for p in people if count_breaks(self.busy[p]) > 0]

    def cost_of(self, pid: str, slots: list[int]) -> int:
        """Breaks of ``pid`` with ``slots``, plus a prohibitive cost above its limit."""
        return count_breaks(slots) + _EXCESS_W * self.excess_of(pid, slots)

    def excess_of(self, pid: str, slots: list[int]) -> int:
        limit = self.limit[pid]
        if limit is None:
            return 0
        return max(0, count_breaks(slots) - limit)

    def move_cost(self, m: int, slot: int) -> int:
        published = self.instance.published_slots.get(m)
        return _MOVE_W if published is not None and slot != published else 0

    def participant_cost(self, pid: str) -> int:
        return self.cost_of(pid, list(self.busy[pid]))

    def value(self) -> int:
        """The current schedule scored by ``objective.evaluate`` with the step weights."""
        inst = self.instance
        unplaced = sum(
            meeting.priority for m, meeting in enumerate(inst.meetings) if m not in self.slot_of
        )
        moved = moved_meetings(inst, self.slot_of)
        return (
            sum(self.participant_cost(p) for p in self.busy)
            + _WEIGHTS.unscheduled * unplaced
            + _MOVE_W * moved
        )

    def total_breaks(self) -> int:
        return sum(count_breaks(list(b)) for b in self.busy.values())

    def _in_order(self, moves: Mapping[int, int]) -> bool:
        """Whether the meetings of ``moves`` (meeting -> new slot) keep every precedence
        with each other and with the placed meetings that stay (unplaced ones bind nothing)."""
        slot_of = self.slot_of
        for m, s in moves.items():
            for e in self._earlier.get(m, ()):
                at = moves.get(e, slot_of.get(e))
                if at is not None and at >= s:
                    return False
            for later in self._later.get(m, ()):
                at = moves.get(later, slot_of.get(later))
                if at is not None and at <= s:
                    return False
        return True

    def _ordered(self, m: int) -> bool:
        return m in self._earlier or m in self._later

    def _free_for(self, m: int, s: int, ignore: int | None = None) -> bool:
        meeting = self.instance.meetings[m]
        for p in meeting.participants:
            other = self.busy[p].get(s)
            if other is not None and other != ignore:
                return False
        if self._earlier and self._ordered(m) and not self._in_order({m: s}):
            return False
        if self.instance.uses_shared_table(meeting):
            return self.shared_used[s] < self.capacity
        return True

    # --------------------------------------------------------------------- moves
    def _best_slot(self, m: int) -> tuple[int, int] | None:
        """Cheapest slot for unplaced meeting ``m`` as (cost delta, slot)."""
        a, b = self.instance.meetings[m].participants
        base = self.participant_cost(a) + self.participant_cost(b)
        slots_a, slots_b = list(self.busy[a]), list(self.busy[b])
        best: tuple[int, int] | None = None
        for s in self.instance.allowed_slots[m]:
            if not self._free_for(m, s):
                continue
            delta = (
                self.cost_of(a, [*slots_a, s])
                + self.cost_of(b, [*slots_b, s])
                - base
                + self.move_cost(m, s)
            )
            if best is None or delta < best[0]:
                best = (delta, s)
        return best

    def insert_unplaced(self) -> int:
        placed = 0
        inst = self.instance
        order = sorted(
            (m for m in self.movable if m not in self.slot_of),
            key=lambda m: -inst.meetings[m].priority,
        )
        for m in order:
            a, b = inst.meetings[m].participants
            full = any(
                self.cap[p] is not None and len(self.busy[p]) >= (self.cap[p] or 0) for p in (a, b)
            )
            if full:
                continue
            best = self._best_slot(m)
            if best is None:
                continue
            s = best[1]
            # The fairness bound is hard: never buy a meeting with a break above it.
            if any(
                self.excess_of(p, [*self.busy[p], s]) > self.excess_of(p, list(self.busy[p]))
                for p in (a, b)
            ):
                continue
            self._occupy(m, s)
            placed += 1
        return placed

    def _creates_excess(self, m: int, s: int) -> bool:
        return any(
            self.excess_of(p, [*self.busy[p], s]) > self.excess_of(p, list(self.busy[p]))
            for p in self.instance.meetings[m].participants
        )

    def insert_with_ejection(self) -> int:
        """Place a meeting in a slot where one side is busy by moving that blocking meeting
        to another slot first (a one-step ejection chain)."""
        inst = self.instance
        placed = 0
        for m in sorted(
            (m for m in self.movable if m not in self.slot_of),
            key=lambda m: -inst.meetings[m].priority,
        ):
            meeting = inst.meetings[m]
            if any(
                self.cap[p] is not None and len(self.busy[p]) >= (self.cap[p] or 0)
                for p in meeting.participants
            ):
                continue
            for s in inst.allowed_slots[m]:
                blockers = {self.busy[p][s] for p in meeting.participants if s in self.busy[p]}
                if len(blockers) != 1:
                    continue
                (blocker,) = blockers
                if blocker not in self.movable:
                    continue
                shared = inst.uses_shared_table(meeting)
                frees_table = inst.uses_shared_table(inst.meetings[blocker])
                if shared and self.shared_used[s] >= self.capacity and not frees_table:
                    continue
                affected = set(meeting.participants) | set(inst.meetings[blocker].participants)
                before = {p: self.excess_of(p, list(self.busy[p])) for p in affected}
                self._release(blocker)
                for t in inst.allowed_slots[blocker]:
                    if t == s or not self._free_for(blocker, t):
                        continue
                    self._occupy(blocker, t)
                    if self._free_for(m, s):
                        self._occupy(m, s)
                        if all(
                            self.excess_of(p, list(self.busy[p])) <= before[p] for p in affected
                        ):
                            break
                        self._release(m)
                    self._release(blocker)
                if m in self.slot_of:
                    placed += 1
                    break
                self._occupy(blocker, s)
        return placed

    def repair_fairness(self) -> int:
        """Drop the least important meetings of anyone above the fairness bound, as the
        exact model would, since the bound is a hard constraint there too."""
        if self.instance.fairness is None:
            return 0
        dropped = 0
        inst = self.instance
        # Dropping a meeting can open a gap in the partner's day, hence the outer loop.
        pending = [p.id for p in inst.participants]
        while pending:
            pid = pending.pop()
            while self.excess_of(pid, list(self.busy[pid])) > 0:
                candidates = [m for m in self.busy[pid].values() if m in self.movable]
                if not candidates:
                    break

                def after_drop(m: int, pid: str = pid) -> tuple[int, int, int]:
                    s = self.slot_of[m]
                    rest = [x for x in self.busy[pid] if x != s]
                    return (
                        self.excess_of(pid, rest),
                        inst.meetings[m].priority,
                        count_breaks(rest),
                    )

                victim = min(candidates, key=after_drop)
                self._release(victim)
                pending.extend(p for p in inst.meetings[victim].participants if p != pid)
                dropped += 1
        return dropped

    def move_pass(self) -> int:
        gain = 0
        order = [m for m in self.movable if m in self.slot_of]
        self.rng.shuffle(order)
        for m in order:
            s = self._release(m)
            best = self._best_slot(m)
            a, b = self.instance.meetings[m].participants
            stay = (
                self.cost_of(a, [*self.busy[a], s])
                + self.cost_of(b, [*self.busy[b], s])
                - self.participant_cost(a)
                - self.participant_cost(b)
                + self.move_cost(m, s)
            )
            if best is not None and best[0] < stay:
                self._occupy(m, best[1])
                gain += stay - best[0]
            else:
                self._occupy(m, s)
        return gain

    def swap_pass(self) -> int:
        """Two meetings of one participant exchange slots: that person's day is unchanged,
        both partners' days may improve."""
        gain = 0
        inst = self.instance
        people = [p.id for p in inst.participants]
        self.rng.shuffle(people)
        for pid in people:
            mine = [m for m in self.busy[pid].values() if m in self.movable]
            for m1, m2 in itertools.combinations(mine, 2):
                s1, s2 = self.slot_of[m1], self.slot_of[m2]
                q1 = next(p for p in inst.meetings[m1].participants if p != pid)
                q2 = next(p for p in inst.meetings[m2].participants if p != pid)
                if q1 == q2 or s2 not in inst.allowed_slots[m1] or s1 not in inst.allowed_slots[m2]:
                    continue
                if s2 in self.busy[q1] or s1 in self.busy[q2]:
                    continue
                if (
                    self._earlier
                    and (self._ordered(m1) or self._ordered(m2))
                    and not self._in_order({m1: s2, m2: s1})
                ):
                    continue
                shared1 = inst.uses_shared_table(inst.meetings[m1])
                if shared1 != inst.uses_shared_table(inst.meetings[m2]):
                    # Only one of them needs a shared table: it must find one in its new slot.
                    target = s2 if shared1 else s1
                    if self.shared_used[target] >= self.capacity:
                        continue
                before = (
                    self.participant_cost(q1)
                    + self.participant_cost(q2)
                    + self.move_cost(m1, s1)
                    + self.move_cost(m2, s2)
                )
                new_q1 = [s for s in self.busy[q1] if s != s1] + [s2]
                new_q2 = [s for s in self.busy[q2] if s != s2] + [s1]
                after = (
                    self.cost_of(q1, new_q1)
                    + self.cost_of(q2, new_q2)
                    + self.move_cost(m1, s2)
                    + self.move_cost(m2, s1)
                )
                if after < before:
                    self._release(m1)
                    self._release(m2)
                    self._occupy(m1, s2)
                    self._occupy(m2, s1)
                    gain += before - after
        return gain

    # -------------------------------------------------------------- Kempe chains
    def _chain(self, pid: str, s: int, t: int) -> list[int] | None:
        """The meetings of the ``s``/``t`` alternating path from ``pid``'s meeting in ``s``:
        that meeting goes to ``t``, its partner's meeting in ``t`` (if any) goes to ``s``,
        and so on. Swapping them keeps everybody at one meeting per slot and only the path's
        two ends change their busy slots. None if a meeting on it may not move (frozen, the
        other slot not allowed, an order broken), the path is too long, or ``pid`` is busy
        in ``t`` as well (then ``pid`` is inside a path, not at its end, and the swap would
        book them twice in ``t``). Empty if ``pid`` is free in ``s`` (a plan of several
        chains gets there when an earlier chain's far end is ``pid``)."""
        busy, movable, allowed, pair = self.busy, self.movable, self._allowed, self._pair
        if s in busy[pid] and t in busy[pid]:
            return None
        # Everybody has at most one meeting per slot, so the s/t meetings form paths and
        # cycles; from an end of a path the walk cannot come back to a meeting it passed.
        chain: list[int] = []
        current, here, there = pid, s, t
        m = busy[current].get(here)
        while m is not None:
            if m not in movable or there not in allowed[m] or len(chain) >= _MAX_CHAIN:
                return None
            chain.append(m)
            a, b = pair[m]
            current = b if current == a else a
            here, there = there, here
            m = busy[current].get(here)
        if self._earlier and not self._chain_in_order(chain, s, t):
            return None
        return chain

    def _chain_in_order(self, chain: list[int], s: int, t: int) -> bool:
        """Whether swapping ``s`` and ``t`` along ``chain`` keeps every precedence."""
        if not any(self._ordered(m) for m in chain):
            return True
        return self._in_order({m: t if i % 2 == 0 else s for i, m in enumerate(chain)})

    def _path_end(self, pid: str, chain: list[int]) -> str:
        """The person at the other end of the path ``chain`` starting from ``pid``."""
        current = pid
        for m in chain:
            a, b = self._pair[m]
            current = b if current == a else a
        return current

    def _swap(self, chain: list[int], s: int, t: int) -> None:
        slots = [self._release(m) for m in chain]
        for m, old in zip(chain, slots, strict=True):
            self._occupy(m, t if old == s else s)

    def _people_score(self, people: set[str], chain: list[int]) -> tuple[int, int, int]:
        """(fairness excess, moves, breaks) of ``people`` and of the meetings of ``chain``."""
        excess = breaks = 0
        for p in people:
            slots = list(self.busy[p])
            excess += self.excess_of(p, slots)
            breaks += count_breaks(slots)
        published = self.instance.published_slots
        moves = sum(1 for m in chain if m in published and self.slot_of.get(m) != published[m])
        return excess, moves, breaks

    def _chain_scores(
        self, pid: str, chain: list[int], s: int, t: int
    ) -> tuple[tuple[int, int, int], tuple[int, int, int], bool, str]:
        """``_people_score`` of the path's two ends (the only people whose busy slots change)
        and of ``chain`` before and after swapping ``s`` and ``t`` along it, whether the
        tables fit after it, and the far end; computed without moving anything (1.23x the
        ejection walk's sequences a second against swapping there and back)."""
        end = self._path_end(pid, chain)
        # The path's meetings alternate between s and t from pid's (in s); the far end gives
        # up the slot of the last one and takes the other.
        last, other = (s, t) if len(chain) % 2 else (t, s)
        excess_b = excess_a = breaks_b = breaks_a = 0
        for p, gone, new in ((pid, s, t), (end, last, other)):
            mask = self.mask[p]
            b = mask_breaks(mask)
            a = mask_breaks(mask & ~(1 << gone) | 1 << new)
            breaks_b += b
            breaks_a += a
            limit = self.limit[p]
            if limit is not None:
                excess_b += max(0, b - limit)
                excess_a += max(0, a - limit)
        moves_b = moves_a = 0
        published = self.instance.published_slots
        shared_to_s = 0  # shared-table meetings coming into s, less those leaving it
        for i, m in enumerate(chain):
            here, there = (s, t) if i % 2 == 0 else (t, s)
            if self._shared[m]:
                shared_to_s += 1 if here == t else -1
            if m in published:
                moves_b += here != published[m]
                moves_a += there != published[m]
        fits = (
            self.shared_used[s] + shared_to_s <= self.capacity
            and self.shared_used[t] - shared_to_s <= self.capacity
        )
        return (excess_b, moves_b, breaks_b), (excess_a, moves_a, breaks_a), fits, end

    @staticmethod
    def _step_delta(before: tuple[int, int, int], after: tuple[int, int, int]) -> int:
        """Change in moves and breaks between two ``_people_score`` values, at the step
        weights (fairness excess is checked apart)."""
        return _MOVE_W * (after[1] - before[1]) + after[2] - before[2]

    def _tables_ok(self, s: int, t: int) -> bool:
        return self.shared_used[s] <= self.capacity and self.shared_used[t] <= self.capacity

    def kempe_insert(self, deadline: float | None = None) -> int:
        """Place unplaced meetings in a slot where a side is busy by swapping Kempe chains:
        that side's meeting in the slot moves to one of its free slots, its partner's meeting
        there moves back, and so on along the path (edge-colouring repair). When both sides
        are busy, one chain each (the second only towards a slot next to that person's
        meetings). Never adds fairness excess; among the chains that work, the fewest moves,
        then breaks. No meeting is tried after ``deadline`` (with hundreds of meetings out,
        one call can take seconds)."""
        inst = self.instance
        placed = 0
        order = sorted(
            (m for m in self.movable if m not in self.slot_of),
            key=lambda m: -inst.meetings[m].priority,
        )
        for m in order:
            if deadline is not None and time.perf_counter() >= deadline:
                break
            meeting = inst.meetings[m]
            a, b = meeting.participants
            if any(
                self.cap[p] is not None and len(self.busy[p]) >= (self.cap[p] or 0) for p in (a, b)
            ):
                continue
            best: tuple[tuple[int, int, int], list[tuple[str, int, int]]] | None = None
            for shifted in (False, True):
                if best is not None:
                    break
                for s in inst.allowed_slots[m]:
                    blocked = [p for p in (a, b) if s in self.busy[p]]
                    if not blocked:
                        continue  # free on both sides: insert_unplaced's case
                    # The side with fewer free slots first (a host at a table for a window).
                    blocked.sort(key=lambda p: -len(self.busy[p]))
                    for steps in self._chain_plans(blocked, s, shifted):
                        found = self._try_insert(m, s, steps)
                        if found is not None and (best is None or found < best[0]):
                            best = (found, steps)
            if best is not None:
                _score, steps = best
                for p, here, there in steps:
                    chain = self._chain(p, here, there)
                    assert chain is not None
                    self._swap(chain, here, there)
                self._occupy(m, steps[-1][1])  # every plan ends by freeing the slot itself
                placed += 1
        return placed

    def _chain_plans(
        self, blocked: list[str], s: int, shifted: bool
    ) -> list[list[tuple[str, int, int]]]:
        """Candidate chain sequences (person, from, to) freeing ``blocked`` in slot ``s``.

        The first person's meeting in ``s`` goes to any free slot of theirs; the second's
        to a free slot next to their meetings. ``shifted`` (tried when nothing else works)
        adds two-step shifts for the last person: their meeting in another slot ``u`` goes
        next to their meetings first, then the one in ``s`` goes to ``u``."""
        n_slots = self.instance.n_slots
        last = blocked[-1]
        busy = self.busy[last]
        near = [
            t
            for t in range(n_slots)
            if t != s and t not in busy and (t - 1 in busy or t + 1 in busy)
        ]
        if len(blocked) == 1:
            ends = [[(last, s, t)] for t in range(n_slots) if t != s and t not in busy]
        else:
            ends = [[(last, s, t)] for t in near]
        if shifted:
            ends += [[(last, u, t), (last, s, u)] for u in busy if u != s for t in near]
        if len(blocked) == 1:
            return ends
        first = blocked[0]
        starts = [(first, s, t) for t in range(n_slots) if t != s and t not in self.busy[first]]
        return [[start, *end] for start in starts for end in ends]

    def _try_insert(
        self, m: int, s: int, steps: list[tuple[str, int, int]]
    ) -> tuple[int, int, int] | None:
        """Score change of placing ``m`` in ``s`` after swapping the chains of ``steps`` in
        turn, or None if that does not free both sides in ``s``, runs out of tables or adds
        fairness excess. The schedule is left as it was."""
        inst = self.instance
        done: list[tuple[list[int], int, int]] = []
        after: tuple[int, int, int] | None = None
        people = set(inst.meetings[m].participants)
        moved: list[int] = []
        for p, here, there in steps:
            chain = self._chain(p, here, there)
            if chain is None:
                break
            self._swap(chain, here, there)
            done.append((chain, here, there))
            moved.extend(chain)
            people.update(q for c in chain for q in inst.meetings[c].participants)
        else:
            if self._free_for(m, s) and all(self._tables_ok(x, y) for _c, x, y in done):
                self._occupy(m, s)
                after = self._people_score(people, moved)
                self._release(m)
        for chain, here, there in reversed(done):
            self._swap(chain, there, here)
        if after is None:
            return None
        before = self._people_score(people, moved)
        if after[0] > before[0]:
            return None
        return after[0] - before[0], after[1] - before[1], after[2] - before[2]

    def eject_step(self) -> int:
        """Each unplaced meeting that a single meeting blocks in one of its slots takes that
        slot, and the blocking meeting (of no higher priority) is unplaced instead, if no one
        gets fairness excess: the hole wanders to where a chain may close it. Returns the
        meetings exchanged."""
        inst = self.instance
        exchanged = 0
        waiting = [m for m in self.movable if m not in self.slot_of]
        self.rng.shuffle(waiting)
        for m in waiting:
            if m in self.slot_of:
                continue
            meeting = inst.meetings[m]
            if any(
                self.cap[p] is not None and len(self.busy[p]) >= (self.cap[p] or 0)
                for p in meeting.participants
            ):
                continue
            options: list[tuple[int, int]] = []
            for s in inst.allowed_slots[m]:
                blockers = {self.busy[p][s] for p in meeting.participants if s in self.busy[p]}
                if len(blockers) != 1:
                    continue
                (x,) = blockers
                if x in self.movable and inst.meetings[x].priority <= meeting.priority:
                    options.append((s, x))
            if not options:
                continue
            s, x = self.rng.choice(options)
            people = set(meeting.participants) | set(inst.meetings[x].participants)
            before = sum(self.excess_of(p, list(self.busy[p])) for p in people)
            self._release(x)
            if self._free_for(m, s):
                self._occupy(m, s)
                if sum(self.excess_of(p, list(self.busy[p])) for p in people) <= before:
                    exchanged += 1
                    continue
                self._release(m)
            self._occupy(x, s)
        return exchanged

    def _rank(self) -> tuple[int, int, int, int]:
        """(fairness excess, unplaced priority, moves, breaks): ``objective.evaluate``'s order."""
        inst = self.instance
        excess = sum(self.excess_of(p, list(b)) for p, b in self.busy.items())
        unplaced = sum(
            meeting.priority for m, meeting in enumerate(inst.meetings) if m not in self.slot_of
        )
        return excess, unplaced, moved_meetings(inst, self.slot_of), self.total_breaks()

    def kempe_anneal(
        self,
        deadline: float,
        should_stop: Callable[[], bool] | None = None,
        hot: float = 0.3,
        cold: float = 0.05,
        shift_every: int = SHIFT_EVERY,
    ) -> None:
        """Simulated annealing over Kempe-chain moves (a random participant's meeting to a
        random free slot of theirs, the chain following), with Kempe insertion of unplaced
        meetings every few thousand moves; ends on the best schedule seen.

        On tight events nearly every participant is busy in every slot they are present, so
        plain moves have nowhere to go; a chain keeps everybody's load and changes only its
        two ends, and accepting a few worse steps lets unplaced meetings find a chain that
        works later (docs/benchmarks/meetings.md)."""
        inst = self.instance
        people = [p.id for p in inst.participants if inst.meetings_of[p.id]]
        if not people:
            return
        best_rank = self._rank()
        best = dict(self.slot_of)
        began = time.perf_counter()
        span = max(1e-6, deadline - began)
        temperature = hot
        steps = 0
        broken: list[str] = []
        placeable = sum(1 for slots in inst.allowed_slots if slots)
        ideal = dataclasses.astuple(ideal_score(inst))
        n_slots = inst.n_slots
        draw = self.rng.random
        while True:
            if steps % 2_000 == 0:
                now = time.perf_counter()
                if now >= deadline or (should_stop is not None and should_stop()):
                    break
                temperature = hot * (cold / hot) ** ((now - began) / span)
                if steps % 20_000 == 0 or (len(self.slot_of) < placeable and steps % 4_000 == 0):
                    # Unplaced meetings: chains, then the hole wanders (more often while
                    # there are any).
                    self.kempe_insert(deadline)
                    self.insert_unplaced()
                    self.eject_step()
                    rank = self._rank()
                    if rank < best_rank:
                        best_rank, best = rank, dict(self.slot_of)
                    if best_rank == ideal:
                        break
                if steps % 10_000 == 0:
                    broken = self._broken(people)
            steps += 1
            pool = broken if broken and steps % 2 else people
            pid = pool[int(draw() * len(pool))]
            if shift_every and pool is broken and steps % shift_every == 1:
                self.shift_step(pid, temperature)
                continue
            busy = self.busy[pid]
            if not busy:
                continue
            mine = list(busy)
            s = mine[int(draw() * len(mine))]
            if steps % 5:
                # Four steps in five move a meeting at the edge of a block next to a
                # block (someone with a break every other step); the rest anywhere.
                if s - 1 in busy and s + 1 in busy:
                    continue
                near = [x for b in mine for x in (b - 1, b + 1) if x not in busy and x != s]
                near = [x for x in near if 0 <= x < n_slots]
                if not near:
                    continue
                t = near[int(draw() * len(near))]
            else:
                t = int(draw() * n_slots)
                if t in busy:
                    continue
            chain = self._chain(pid, s, t)
            if not chain:
                continue
            before, after, fits, _end = self._chain_scores(pid, chain, s, t)
            if fits and after[0] <= before[0]:
                delta = self._step_delta(before, after)
                if delta <= 0 or draw() < math.exp(-delta / temperature):
                    self._swap(chain, s, t)
        self.kempe_insert(deadline)
        self.insert_unplaced()
        if self._rank() > best_rank:
            self._restore(best)

    def _shift_plan(self, pid: str) -> list[tuple[int, int]] | None:
        """(from, to) slot moves shifting one of ``pid``'s runs of meetings across a gap of
        at most ``_MAX_SHIFT`` slots to the next run, one slot at a time, the run's front
        meeting first; None if ``pid`` has no such gap."""
        busy = sorted(self.busy[pid])
        gaps = [(a, b) for a, b in itertools.pairwise(busy) if 1 < b - a <= _MAX_SHIFT + 1]
        if not gaps:
            return None
        left_end, right_start = gaps[int(self.rng.random() * len(gaps))]
        taken = set(busy)
        steps: list[tuple[int, int]] = []
        if self.rng.random() < 0.5:
            run = [left_end]  # the run ending at left_end moves right
            while run[-1] - 1 in taken:
                run.append(run[-1] - 1)
            for k in range(right_start - left_end - 1):
                steps += [(x + k, x + k + 1) for x in run]
        else:
            run = [right_start]  # the run starting at right_start moves left
            while run[-1] + 1 in taken:
                run.append(run[-1] + 1)
            for k in range(right_start - left_end - 1):
                steps += [(x - k, x - k - 1) for x in run]
        return steps

    def shift_step(self, pid: str, temperature: float) -> bool:
        """A block shift: one of ``pid``'s runs of meetings moves across a short gap one
        meeting and one slot at a time, each move a Kempe chain (so the partners' days
        shift too); accepted as one annealing step (the single chains of the annealing
        would each make things worse on the way). Whether it was kept."""
        steps = self._shift_plan(pid)
        if steps is None:
            return False
        done: list[tuple[list[int], int, int]] = []
        ends = {pid}
        ok = True
        for s, t in steps:
            chain = self._chain(pid, s, t)
            if not chain:
                ok = False
                break
            ends.add(self._path_end(pid, chain))
            self._swap(chain, s, t)
            done.append((chain, s, t))
        moved = [m for chain, _s, _t in done for m in chain]
        after = self._people_score(ends, moved)
        ok = ok and all(self._tables_ok(s, t) for _c, s, t in done)
        for chain, s, t in reversed(done):
            self._swap(chain, t, s)
        if not ok:
            return False
        before = self._people_score(ends, moved)
        if after[0] > before[0]:
            return False
        delta = self._step_delta(before, after)
        if delta > 0 and self.rng.random() >= math.exp(-delta / temperature):
            return False
        for chain, s, t in done:
            self._swap(chain, s, t)
        return True

    def _mending_chain(
        self, pid: str, used: set[int]
    ) -> tuple[tuple[int, float], list[int], int, int, str] | None:
        """The chain that best mends ``pid``'s day: among the EJECT_WIDTH moves of one of
        their meetings to a free slot within one slot of their span that leave them the fewest
        breaks, the one whose chain costs least for ``pid`` and the person at its far end, as
        ((cost, tie-break), chain, from, to, far end). Chains through ``used`` are skipped."""
        busy = self.busy[pid]
        if not busy:
            return None
        draw = self.rng.random
        mask = self.mask[pid]
        span = range(max(0, min(busy) - 1), min(self.instance.n_slots, max(busy) + 2))
        targets = [(x, 1 << x) for x in span if x not in busy]
        had = mask_breaks(mask)
        moves = []
        for s in busy:
            if busy[s] in used:
                continue
            # Their breaks with ``s`` given up and ``t`` taken, less their breaks now
            # (``mask_breaks`` inlined, the hottest line of the walk; ``day`` is never 0).
            rest = mask ^ 1 << s
            for t, bit in targets:
                day = rest | bit
                moves.append(((day & ~(day << 1)).bit_count() - 1 - had, draw(), s, t))
        moves.sort()
        best = None
        for _own, tie, s, t in moves[:EJECT_WIDTH]:
            chain = self._chain(pid, s, t)
            if not chain or used.intersection(chain):
                continue
            before, after, fits, end = self._chain_scores(pid, chain, s, t)
            if not fits:
                continue
            cost = _EXCESS_W * (after[0] - before[0]) + self._step_delta(before, after)
            if best is None or (cost, tie) < best[0]:
                best = ((cost, tie), chain, s, t, end)
        return best

    def eject_sequence(self, pid: str, worse: float = 0.0, touched: list[str] | None = None) -> int:
        """One ejection-chain sequence from ``pid`` (see the module docstring). Without a
        saving or a level prefix, the prefix that costs one more break is kept with
        probability ``worse``. Returns the cost of what was kept (the step weights' cost of
        breaks, moves and excess: below 0 a saving). ``touched`` gets everyone whose day
        the sequence may have changed (``pid`` and the far end of each link)."""
        links: list[tuple[list[int], int, int]] = []
        used: set[int] = set()
        if touched is not None:
            touched.append(pid)
        total = best_total = 0
        best_links = level_links = worse_links = 0
        current = pid
        for _ in range(EJECT_DEPTH):
            found = self._mending_chain(current, used)
            if found is None:
                break
            (cost, _tie), chain, s, t, end = found
            self._swap(chain, s, t)
            links.append((chain, s, t))
            used.update(chain)
            if touched is not None:
                touched.append(end)
            total += cost
            if total < best_total:
                best_total, best_links = total, len(links)
                break
            if total == 0:
                level_links = len(links)
            elif total == 1:
                worse_links = len(links)
            current = end
        keep, kept = best_links, best_total
        if best_total == 0 and level_links:
            if self.rng.random() < EJECT_PLATEAU:
                keep = level_links
        elif best_total == 0 and worse_links and self.rng.random() < worse:
            keep, kept = worse_links, 1
        for chain, s, t in reversed(links[keep:]):
            self._swap(chain, t, s)
        return kept

    def eject_walk(
        self,
        deadline: float,
        should_stop: Callable[[], bool] | None = None,
        worse_from: float = EJECT_WORSE,
    ) -> int:
        """Ejection-chain sequences from random people with a break until the deadline, with
        Kempe insertion and the hole walk for unplaced meetings now and then. A sequence one
        break worse is kept with a probability falling from ``worse_from`` to 0 by the
        deadline; the walk ends on the best schedule it met (a placement counts above any
        break). Returns the sequences run."""
        inst = self.instance
        people = [p.id for p in inst.participants if inst.meetings_of[p.id]]
        broken = _Pool(self._broken(people))
        touched: list[str] = []
        sequences = 0
        began = time.perf_counter()
        span = max(1e-6, deadline - began)
        worse = worse_from
        # The score's change so far (the step weights'), the lowest at a check, and the plan
        # there. The kept sequences add their cost; the insertions are scored afresh.
        start = self.value()
        level = best_level = 0
        best = dict(self.slot_of)
        while True:
            if sequences % 200 == 0:
                now = time.perf_counter()
                if now >= deadline or (should_stop is not None and should_stop()):
                    break
                worse = worse_from * (deadline - now) / span
                if sequences % 1_000 == 0 and any(m not in self.slot_of for m in self.movable):
                    self.kempe_insert(deadline)
                    self.insert_unplaced()
                    self.eject_step()  # the hole wanders, as in the annealing
                    # These change placements and breaks outside the sequences' tally.
                    level = self.value() - start
                    broken = _Pool(self._broken(people))
                if level < best_level:  # a placement outweighs any break in the score
                    best_level, best = level, dict(self.slot_of)
            if not broken.items:
                break  # nobody has a break: the schedule now is the best
            sequences += 1
            level += self.eject_sequence(broken.draw(self.rng.random()), worse, touched)
            # Only the sequence's people can have gained or lost a break (scanning everybody
            # every 200 sequences took a sixth of the walk at 10,000 participants).
            for p in touched:
                broken.update(p, mask_breaks(self.mask[p]) > 0)
            touched.clear()
        if level > best_level:
            self._restore(best)
        return sequences

    def run(self, deadline: float, should_stop: Callable[[], bool] | None = None) -> None:
        while time.perf_counter() < deadline:
            if should_stop is not None and should_stop():
                break
            placed = self.insert_unplaced()
            gain = self.move_pass()
            if time.perf_counter() >= deadline:
                break
            gain += self.swap_pass()
            if placed == 0 and gain == 0:
                break
        self.repair_fairness()
        self.insert_unplaced()
        if time.perf_counter() < deadline:
            self.insert_with_ejection()
