"""The meeting scheduler's objective, defined once for every engine.

A schedule is judged lexicographically, most important first:

1. **fairness excess**: breaks above a participant's fairness limit
   (:meth:`MeetingInstance.break_limit`). The exact model makes the limit a hard constraint;
   the neighbourhood and local searches, which start from schedules that may break it, give
   it the top weight, so they never buy anything lower with it;
2. **unscheduled priority**: the priority points of the meetings left out (only when meetings
   may be left out; otherwise every meeting is placed);
3. **moves**: on a re-solve, published meetings that leave their published slot;
4. **breaks**: maximal runs of idle slots between two meetings of one participant, summed
   over the participants.

Every engine folds these levels into one integer sum with :class:`Weights`, derived by
:func:`lexicographic_weights` from how much the lower levels can add up to in what that engine
compares (the whole event for the exact model, one neighbourhood for the large-event search,
one move or swap for the local search), so one more meeting always beats any number of moves
and breaks, and one move any number of breaks. :func:`evaluate` scores a finished schedule
the same way, which is what the tests compare the engines against.

The validator counts breaks again on its own, on purpose: it checks the engines, so it must
not share their code.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.meetings.instance import MeetingInstance


# ---------------------------------------------------------------------------- breaks
def count_breaks(busy_slots: Iterable[int]) -> int:
    """Idle runs strictly between the first and the last busy slot.

    Forbidden slots inside that span count as idle on purpose: the person still waits. A
    repeated slot counts once (its two copies are adjacent once sorted).
    """
    ordered = sorted(busy_slots)
    return sum(1 for a, b in itertools.pairwise(ordered) if b > a + 1)


def mask_breaks(mask: int) -> int:
    """:func:`count_breaks` of the busy slots set in ``mask`` (bit ``s`` set: busy in slot
    ``s``): a break ends where a run of set bits starts, after the first run."""
    return max(0, (mask & ~(mask << 1)).bit_count() - 1)


def break_delta(busy: set[int], lo: int | None, hi: int | None, slot: int) -> int:
    """Change in :func:`count_breaks` when a participant whose busy slots ``busy`` span
    ``lo..hi`` also takes the free ``slot`` (always -1, 0 or +1)."""
    if lo is None or hi is None:
        return 0
    if slot < lo:
        return 0 if slot == lo - 1 else 1
    if slot > hi:
        return 0 if slot == hi + 1 else 1
    left, right = slot - 1 in busy, slot + 1 in busy
    if left and right:
        return -1
    if left or right:
        return 0
    return 1


def max_breaks(n_meetings: int, n_slots: int) -> int:
    """Most breaks one participant with ``n_meetings`` meetings can have in ``n_slots`` slots
    (runs are separated by idle slots, so there are at most ceil(n_slots / 2) of them)."""
    return max(0, min(n_meetings - 1, (n_slots + 1) // 2 - 1))


def min_runs(free: Sequence[int], needed: int, imposed: Collection[int] = ()) -> int:
    """Fewest maximal runs of consecutive ``free`` slots that can hold ``needed`` meetings
    and cover every ``imposed`` slot (a fixed or pinned meeting's; counted in ``needed``).

    Without imposed slots: the longest windows of free slots first. With them: each group of
    adjacent imposed slots is a run; the other meetings bridge the shortest gaps between
    groups of one window first (a bridge of g slots takes g meetings and saves a run), fill
    the rest of those windows, and what still remains needs the longest other windows."""
    windows = _windows(set(free) | set(imposed))
    if not imposed:
        return min(len(windows), _fewest_windows([len(w) for w in windows], needed))
    fixed = set(imposed)
    runs = room = 0
    gaps: list[int] = []
    others: list[int] = []
    for window in windows:
        mine = [s for s in window if s in fixed]
        if not mine:
            others.append(len(window))
            continue
        room += len(window) - len(mine)
        inside = [b - a - 1 for a, b in itertools.pairwise(mine) if b > a + 1]
        gaps += inside
        runs += 1 + len(inside)
    left = needed - len(fixed)
    for gap in sorted(gaps):
        if gap > left:
            break
        left -= gap
        runs -= 1
    overflow = max(0, needed - len(fixed) - room)
    return runs + min(len(others), _fewest_windows(others, overflow))


def _windows(slots: Collection[int]) -> list[list[int]]:
    """``slots`` cut into maximal runs of consecutive slots, in order."""
    out: list[list[int]] = []
    for s in sorted(slots):
        if out and out[-1][-1] == s - 1:
            out[-1].append(s)
        else:
            out.append([s])
    return out


def _fewest_windows(lengths: list[int], needed: int) -> int:
    """Fewest of the windows of ``lengths`` that hold ``needed`` meetings, the longest first
    (one more than there are when they cannot: the precheck reports it)."""
    if needed <= 0:
        return 0
    total = 0
    for count, length in enumerate(sorted(lengths, reverse=True), start=1):
        total += length
        if total >= needed:
            return count
    return len(lengths) + 1


# --------------------------------------------------------------------------- weights
@dataclass(frozen=True)
class Weights:
    """The lexicographic objective folded into one sum (see the module docstring)."""

    excess: int
    unscheduled: int
    move: int
    brk: int = 1

    def value(self, score: Score) -> int:
        return (
            self.excess * score.excess
            + self.unscheduled * score.unscheduled_priority
            + self.move * score.moves
            + self.brk * score.breaks
        )


def lexicographic_weights(*, breaks: int, moves: int, unscheduled: int) -> Weights:
    """The smallest weights where each level outweighs everything the lower ones can add up to.

    ``breaks``, ``moves`` and ``unscheduled`` bound how much the breaks, the moves and the
    unscheduled priority points can differ between two schedules the engine compares.
    """
    brk = 1
    move = breaks * brk + 1
    below_unscheduled = moves * move + breaks * brk
    unscheduled_w = below_unscheduled + 1
    excess = unscheduled * unscheduled_w + below_unscheduled + 1
    return Weights(excess=excess, unscheduled=unscheduled_w, move=move, brk=brk)


# What one local-search step (move one meeting, or swap the slots of two meetings of one
# participant) can change: two participants' days gain and lose one busy slot each, and
# adding or removing a slot changes a day's breaks by at most one, so at most 2 x 2 breaks;
# at most two meetings leave or reach their published slot.
STEP_BREAKS = 4
STEP_MOVES = 2


def step_weights() -> Weights:
    """Weights for comparing the outcomes of one local-search step."""
    return lexicographic_weights(breaks=STEP_BREAKS, moves=STEP_MOVES, unscheduled=0)


# --------------------------------------------------------------------------- scoring
@dataclass(frozen=True, order=True)
class Score:
    """One schedule's levels, in lexicographic order (tuples of them compare correctly)."""

    excess: int
    unscheduled_priority: int
    moves: int
    breaks: int


def ideal_score(instance: MeetingInstance, weight_bound: int | None = None) -> Score:
    """A bound no schedule beats: nobody beyond their break limit, only meetings without
    any allowed slot left out (or, given a proven bound on the priority weight that can be
    placed, at least the rest of the weight), nothing moved, no break. A schedule that
    scores it is optimal, so the heuristic engines stop there instead of running out
    their time."""
    unplaceable = sum(
        meeting.priority
        for meeting, slots in zip(instance.meetings, instance.allowed_slots, strict=True)
        if not slots
    )
    if weight_bound is not None:
        total = sum(meeting.priority for meeting in instance.meetings)
        unplaceable = max(unplaceable, total - weight_bound)
    return Score(excess=0, unscheduled_priority=unplaceable, moves=0, breaks=0)


def moved_meetings(instance: MeetingInstance, slot_of: Mapping[int, int]) -> int:
    """Published, unpinned meetings (by index in ``slot_of``) not in their published slot,
    left-out ones included."""
    moved = 0
    for mid, placement in instance.previous.items():
        m = instance.meeting_index.get(mid)
        if m is None or mid in instance.pinned:
            continue
        if slot_of.get(m) != placement.slot:
            moved += 1
    return moved


def evaluate(instance: MeetingInstance, slot_of: Mapping[int, int]) -> Score:
    """Score the plan ``slot_of`` (meeting index -> slot) on every level."""
    busy: dict[str, list[int]] = {p.id: [] for p in instance.participants}
    for m, s in slot_of.items():
        for pid in instance.meetings[m].participants:
            busy[pid].append(s)
    breaks = {pid: count_breaks(slots) for pid, slots in busy.items()}
    excess = 0
    for pid, b in breaks.items():
        limit = instance.break_limit(pid)
        if limit is not None:
            excess += max(0, b - limit)
    unscheduled = sum(
        meeting.priority for m, meeting in enumerate(instance.meetings) if m not in slot_of
    )
    return Score(
        excess=excess,
        unscheduled_priority=unscheduled,
        moves=moved_meetings(instance, slot_of),
        breaks=sum(breaks.values()),
    )
