"""Entries that read the same, and rankings that list each of them once.

Many organisations post the same entry: a marketplace copies a template, a company puts
the same offer under several people, a field's usual products recur ("Solar plant
monitoring" from five firms). Equal texts have equal similarities to everything, so
without care they take neighbouring ranks in every ranking and crowd out a different
entry that answers the request just as well.

Near duplicates are decided on what a reader sees in a list: the title and the
description, lower case, punctuation and spacing ignored. An item written with a title only
belongs to the group of the items with the same title when they all carry one and the same
description (one in three people write only a title); with several different descriptions
it stays a group of its own. Profile descriptions are grouped the same way (colleagues
share their organisation's text).

:func:`repeats_last` reorders one ranking so that each group is listed once, at its best
position, and its repeats follow every distinct entry (they are pushed down, not dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from matchmaking.profiles import Opportunity, ParticipantProfile

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_WORD = re.compile(r"\w+")


def normal_text(text: str) -> str:
    """Lower-case words separated by single spaces: what two texts that read the same share."""
    return " ".join(_WORD.findall(text.lower()))


class DuplicateGroups:
    """Group numbers for items and descriptions; equal numbers read the same."""

    def __init__(self, profiles: Iterable[ParticipantProfile] = ()) -> None:
        self._ids: dict[tuple[str, str, str], int] = {}
        self._normal: dict[str, str] = {}
        # Title -> the distinct descriptions written under it (to place title-only items).
        self._described: dict[str, set[str]] = {}
        for profile in profiles:
            for item in profile.opportunities:
                description = self._read(item.description)
                if description:
                    self._described.setdefault(self._read(item.title), set()).add(description)

    def _read(self, text: str) -> str:
        # Events repeat their texts; each distinct text is read once.
        found = self._normal.get(text)
        if found is None:
            found = self._normal[text] = normal_text(text)
        return found

    def _number(self, key: tuple[str, str, str]) -> int:
        return self._ids.setdefault(key, len(self._ids))

    def item(self, item: Opportunity) -> int:
        title, description = self._read(item.title), self._read(item.description)
        if not description:
            known = self._described.get(title, set())
            if len(known) == 1:
                description = next(iter(known))
        return self._number((item.kind.value, title, description))

    def items(self, items: Iterable[Opportunity]) -> IntArray:
        return np.fromiter((self.item(i) for i in items), dtype=np.int64)

    def descriptions(self, texts: Iterable[str]) -> IntArray:
        return np.fromiter(
            (self._number(("profile", "", self._read(t))) for t in texts), dtype=np.int64
        )


def repeat_flags(groups: IntArray, valid: BoolArray) -> BoolArray:
    """For rankings (rows, best first) of entries in ``groups``: True for every valid entry
    after the first of its group in its row."""
    rows, depth = groups.shape
    if not rows or not depth:
        return np.zeros((rows, depth), dtype=np.bool_)
    group = np.where(valid, groups, -1)
    # A stable sort by group keeps each group's entries in rank order: every entry after
    # the first of its group is a repeat.
    by_group = np.argsort(group, axis=1, kind="stable")
    sorted_groups = np.take_along_axis(group, by_group, axis=1)
    repeat_sorted = np.zeros((rows, depth), dtype=np.bool_)
    repeat_sorted[:, 1:] = sorted_groups[:, 1:] == sorted_groups[:, :-1]
    repeat = np.empty((rows, depth), dtype=np.bool_)
    np.put_along_axis(repeat, by_group, repeat_sorted, axis=1)
    flags: BoolArray = repeat & valid
    return flags


def repeats_last(groups: IntArray, valid: BoolArray) -> IntArray:
    """For rankings (rows, best first) of entries in ``groups``: the column order that keeps
    every group's first entry in place, moves its later entries after every first entry
    (in their order), and leaves invalid entries (``valid`` False) at the end."""
    rank_class = np.where(valid, repeat_flags(groups, valid).astype(np.int8), np.int8(2))
    result: IntArray = np.argsort(rank_class, axis=1, kind="stable").astype(np.int64)
    return result
