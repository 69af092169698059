"""Counting breaks: maximal runs of idle slots between two meetings of one participant."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence


def count_breaks(busy_slots: Iterable[int]) -> int:
    """Idle runs strictly between the first and the last busy slot.

    Forbidden slots inside that span count as idle on purpose: the person still waits.
    """
    ordered = sorted(set(busy_slots))
    return sum(1 for a, b in itertools.pairwise(ordered) if b > a + 1)


def min_runs(free: Sequence[int], needed: int) -> int:
    """Fewest maximal runs of consecutive free slots that can hold ``needed`` meetings."""
    if needed <= 0:
        return 0
    lengths: list[int] = []
    run = 0
    prev = None
    for s in sorted(free):
        run = run + 1 if prev is not None and s == prev + 1 else 1
        if run == 1:
            lengths.append(0)
        lengths[-1] = run
        prev = s
    lengths.sort(reverse=True)
    total = 0
    for count, length in enumerate(lengths, start=1):
        total += length
        if total >= needed:
            return count
    return len(lengths) + 1  # cannot fit at all; the precheck reports it
