"""Counting breaks: maximal runs of idle slots between two meetings of one participant."""

from __future__ import annotations

import itertools
from collections.abc import Iterable


def count_breaks(busy_slots: Iterable[int]) -> int:
    """Idle runs strictly between the first and the last busy slot.

    Forbidden slots inside that span count as idle on purpose: the person still waits.
    """
    ordered = sorted(set(busy_slots))
    return sum(1 for a, b in itertools.pairwise(ordered) if b > a + 1)
