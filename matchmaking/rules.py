"""Organiser rules and the vectorised mask of pairs they allow."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchmaking.errors import InvalidRulesError, UnknownParticipantError
from matchmaking.profiles import OrganisationType, ParticipantProfile

BoolArray = npt.NDArray[np.bool_]


def _unordered(pairs: Iterable[tuple[str, str]] | None) -> frozenset[frozenset[str]] | None:
    if pairs is None:
        return None
    return frozenset(frozenset(pair) for pair in pairs)


@dataclass(frozen=True)
class MatchingRules:
    """Who may meet whom. Every pair is unordered: ("buyer", "supplier") also allows the reverse.

    ``allowed_type_pairs`` / ``allowed_group_pairs``: ``None`` allows every pair; a pair of
    equal values, e.g. ("sme", "sme"), allows meetings inside that type or group. When group
    pairs are given, a participant without a group only meets others if a pair names ``None``
    (a hosted-buyer event expects everyone to be in a group, so an ungrouped person is a
    registration mistake the organiser should see, not someone matched with everyone).
    Participants of the same organisation never meet; that rule cannot be turned off.
    ``excluded_pairs``: participant id pairs that already met or where one side declined.
    """

    allowed_type_pairs: frozenset[frozenset[str]] | None = None
    allowed_group_pairs: frozenset[frozenset[str | None]] | None = None
    cross_border_only: bool = False
    excluded_pairs: frozenset[frozenset[str]] = frozenset()

    @classmethod
    def build(
        cls,
        *,
        allowed_type_pairs: Iterable[tuple[str, str]] | None = None,
        allowed_group_pairs: Iterable[tuple[str | None, str | None]] | None = None,
        cross_border_only: bool = False,
        excluded_pairs: Iterable[tuple[str, str]] = (),
    ) -> MatchingRules:
        """Build rules from ordinary tuples (what JSON or the database hands over)."""
        type_pairs = _unordered(allowed_type_pairs)
        if type_pairs is not None:
            known = {t.value for t in OrganisationType}
            unknown = {t for pair in type_pairs for t in pair} - known
            if unknown:
                raise InvalidRulesError(f"unknown organisation types in rules: {sorted(unknown)}")
        group_pairs = (
            None
            if allowed_group_pairs is None
            else frozenset(frozenset(pair) for pair in allowed_group_pairs)
        )
        return cls(
            allowed_type_pairs=type_pairs,
            allowed_group_pairs=group_pairs,
            cross_border_only=cross_border_only,
            excluded_pairs=frozenset(frozenset(p) for p in excluded_pairs),
        )


def _pair_table(
    codes: dict[str | None, int], allowed: frozenset[frozenset[str | None]]
) -> BoolArray:
    table = np.zeros((len(codes), len(codes)), dtype=np.bool_)
    for pair in allowed:
        members = list(pair)
        a, b = members[0], members[-1]
        if a in codes and b in codes:
            table[codes[a], codes[b]] = True
            table[codes[b], codes[a]] = True
    return table


class RuleMask:
    """Allowed-pair mask for blocks of rows, computed from integer codes, never pair by pair."""

    def __init__(
        self, profiles: Sequence[ParticipantProfile], rules: MatchingRules, index: dict[str, int]
    ) -> None:
        self.size = len(profiles)
        self._rules = rules
        self._org = self._codes([p.organisation_id for p in profiles])
        self._country = self._codes([p.country for p in profiles])
        type_codes: dict[str | None, int] = {t.value: i for i, t in enumerate(OrganisationType)}
        self._type = np.array(
            [type_codes[p.organisation_type.value] for p in profiles], dtype=np.int32
        )
        self._type_table = (
            None
            if rules.allowed_type_pairs is None
            else _pair_table(type_codes, frozenset(frozenset(p) for p in rules.allowed_type_pairs))
        )
        group_codes: dict[str | None, int] = {}
        for p in profiles:
            group_codes.setdefault(p.group, len(group_codes))
        self._group = np.array([group_codes[p.group] for p in profiles], dtype=np.int32)
        self._group_table = (
            None
            if rules.allowed_group_pairs is None
            else _pair_table(group_codes, rules.allowed_group_pairs)
        )
        rows: list[int] = []
        cols: list[int] = []
        for pair in rules.excluded_pairs:
            members = list(pair)
            if len(members) != 2:
                continue
            a, b = members
            if a not in index or b not in index:
                # Declines recorded for people who have since left the event are harmless.
                continue
            rows += [index[a], index[b]]
            cols += [index[b], index[a]]
        order = np.argsort(np.array(rows, dtype=np.int64), kind="stable")
        self._excluded_rows = np.array(rows, dtype=np.int64)[order]
        self._excluded_cols = np.array(cols, dtype=np.int64)[order]

    @staticmethod
    def _codes(values: list[str]) -> npt.NDArray[np.int32]:
        codes: dict[str, int] = {}
        return np.array([codes.setdefault(v, len(codes)) for v in values], dtype=np.int32)

    def block(self, start: int, stop: int) -> BoolArray:
        """Mask of rows ``start:stop`` against every participant (True = may meet)."""
        mask: BoolArray = np.asarray(self._org[start:stop, None] != self._org[None, :])
        if self._rules.cross_border_only:
            mask &= self._country[start:stop, None] != self._country[None, :]
        if self._type_table is not None:
            mask &= self._type_table[self._type[start:stop]][:, self._type]
        if self._group_table is not None:
            mask &= self._group_table[self._group[start:stop]][:, self._group]
        lo, hi = np.searchsorted(self._excluded_rows, [start, stop])
        mask[self._excluded_rows[lo:hi] - start, self._excluded_cols[lo:hi]] = False
        # The organisation rule already removes the diagonal; this keeps it explicit.
        rows = np.arange(start, stop)
        mask[rows - start, rows] = False
        return mask

    def allows(self, row: int, col: int) -> bool:
        return bool(self.block(row, row + 1)[0, col])


def check_known(index: dict[str, int], participant_id: str) -> int:
    try:
        return index[participant_id]
    except KeyError as exc:
        raise UnknownParticipantError(f"unknown participant {participant_id!r}") from exc
