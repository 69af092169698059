"""Organiser rules: who may meet whom, as one scalar check and as a vectorised mask.

:meth:`MatchingRules.pair_problem` answers for one pair, in words a participant reads;
:class:`RuleMask` answers for blocks of rows at once. Both read the same fields and a
randomised test keeps them in agreement, so the rule is decided in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pycountry

from matchmaking.errors import InvalidRulesError, UnknownParticipantError
from matchmaking.profiles import OrganisationType, ParticipantProfile

BoolArray = npt.NDArray[np.bool_]

# The 27 member states (ISO 3166-1 alpha-2; Greece is "GR", not the EU's own "EL").
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()  # noqa: SIM905
)
BUILT_IN_COUNTRY_SETS: Mapping[str, frozenset[str]] = {"EU": EU_COUNTRIES}


def _unordered(pairs: Iterable[tuple[str, str]] | None) -> frozenset[frozenset[str]] | None:
    if pairs is None:
        return None
    return frozenset(frozenset(pair) for pair in pairs)


def _is_country(code: str) -> bool:
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def is_builtin_country_set(name: str) -> bool:
    """Whether a rule may name this set without defining it: "EU" or an ISO country code."""
    return name in BUILT_IN_COUNTRY_SETS or _is_country(name)


@dataclass(frozen=True, slots=True)
class PairSide:
    """What the rules look at on one side of a pair."""

    participant_id: str
    organisation_id: str
    organisation_type: str
    country: str
    group: str | None = None

    @classmethod
    def of(cls, profile: ParticipantProfile) -> PairSide:
        return cls(
            participant_id=profile.participant_id,
            organisation_id=profile.organisation_id,
            organisation_type=profile.organisation_type.value,
            country=profile.country,
            group=profile.group,
        )


@dataclass(frozen=True)
class MatchingRules:
    """Who may meet whom. Every pair is unordered: ("buyer", "supplier") also allows the reverse.

    ``allowed_type_pairs`` / ``allowed_group_pairs``: ``None`` allows every pair; a pair of
    equal values, e.g. ("sme", "sme"), allows meetings inside that type or group. When group
    pairs are given, a participant without a group only meets others if a pair names ``None``
    (a hosted-buyer event expects everyone to be in a group, so an ungrouped person is a
    registration mistake the organiser should see, not someone matched with everyone).
    ``cross_border_only``: the two organisations are in different countries.
    ``country_sets`` names sets of ISO country codes; "EU" is built in and every ISO code is
    also a set of its own, so ("EU", "TW") needs no definition. ``allowed_country_set_pairs``:
    ``None`` allows every pair; otherwise one side's country must lie in one set of a listed
    pair and the other side's in the other ("EU meets Taiwan": [("EU", "TW")]).
    Participants of the same organisation never meet; that rule cannot be turned off.
    ``excluded_pairs``: participant id pairs that already met or where one side declined.
    """

    allowed_type_pairs: frozenset[frozenset[str]] | None = None
    allowed_group_pairs: frozenset[frozenset[str | None]] | None = None
    cross_border_only: bool = False
    excluded_pairs: frozenset[frozenset[str]] = frozenset()
    country_sets: tuple[tuple[str, frozenset[str]], ...] = ()
    allowed_country_set_pairs: frozenset[frozenset[str]] | None = None

    @classmethod
    def build(
        cls,
        *,
        allowed_type_pairs: Iterable[tuple[str, str]] | None = None,
        allowed_group_pairs: Iterable[tuple[str | None, str | None]] | None = None,
        cross_border_only: bool = False,
        excluded_pairs: Iterable[tuple[str, str]] = (),
        country_sets: Mapping[str, Iterable[str]] | None = None,
        allowed_country_set_pairs: Iterable[tuple[str, str]] | None = None,
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
        sets = _country_sets(country_sets or {})
        set_pairs = _unordered(allowed_country_set_pairs)
        if set_pairs is not None:
            names = {**BUILT_IN_COUNTRY_SETS, **dict(sets)}
            unknown = {
                name
                for pair in set_pairs
                for name in pair
                if name not in names and not is_builtin_country_set(name)
            }
            if unknown:
                raise InvalidRulesError(
                    f"allowed_country_set_pairs: unknown country sets {sorted(unknown)} "
                    "(define them in country_sets, or use EU or an ISO country code)"
                )
        return cls(
            allowed_type_pairs=type_pairs,
            allowed_group_pairs=group_pairs,
            cross_border_only=cross_border_only,
            excluded_pairs=frozenset(frozenset(p) for p in excluded_pairs),
            country_sets=sets,
            allowed_country_set_pairs=set_pairs,
        )

    @classmethod
    def from_mapping(
        cls, rules: Mapping[str, Any], excluded_pairs: Iterable[tuple[str, str]] = ()
    ) -> MatchingRules:
        """Rules from the event's ``rules`` JSON object (keys as documented in matchmaking.md).

        Keys other features keep in the same object are left alone (the API validates the
        object when the organiser saves it); the keys read here are checked.
        """

        def pairs(name: str) -> list[tuple[Any, Any]] | None:
            value = rules.get(name)
            if value is None:
                return None
            if not isinstance(value, list | tuple) or any(
                not isinstance(p, list | tuple) or len(p) != 2 for p in value
            ):
                raise InvalidRulesError(f"{name} must be a list of pairs")
            return [(p[0], p[1]) for p in value]

        sets = rules.get("country_sets")
        if sets is not None and not isinstance(sets, Mapping):
            raise InvalidRulesError("country_sets must map a name to a list of country codes")
        return cls.build(
            cross_border_only=bool(rules.get("cross_border_only", False)),
            allowed_type_pairs=pairs("allowed_type_pairs"),
            allowed_group_pairs=pairs("allowed_group_pairs"),
            country_sets=sets,
            allowed_country_set_pairs=pairs("allowed_country_set_pairs"),
            excluded_pairs=excluded_pairs,
        )

    def country_set(self, name: str) -> frozenset[str]:
        """Members of a named set: the organiser's, a built-in one, or one ISO country."""
        for own, members in self.country_sets:
            if own == name:
                return members
        if name in BUILT_IN_COUNTRY_SETS:
            return BUILT_IN_COUNTRY_SETS[name]
        return frozenset({name})

    def countries_may_meet(self, a: str, b: str) -> bool:
        if self.allowed_country_set_pairs is None:
            return True
        for pair in self.allowed_country_set_pairs:
            members = sorted(pair)
            first, second = self.country_set(members[0]), self.country_set(members[-1])
            if (a in first and b in second) or (b in first and a in second):
                return True
        return False

    def pair_problem(self, a: PairSide, b: PairSide) -> str | None:
        """Why these rules refuse the pair, in words for the participant; None if allowed."""
        if a.organisation_id == b.organisation_id:
            return "You both represent the same organisation."
        if self.cross_border_only and a.country == b.country:
            return "This event only allows meetings across borders."
        if self.allowed_type_pairs is not None and (
            frozenset((a.organisation_type, b.organisation_type)) not in self.allowed_type_pairs
        ):
            return (
                f"This event does not arrange meetings between {a.organisation_type} and "
                f"{b.organisation_type} organisations."
            )
        if self.allowed_group_pairs is not None and (
            frozenset((a.group, b.group)) not in self.allowed_group_pairs
        ):
            return "This event does not arrange meetings between these participant groups."
        if not self.countries_may_meet(a.country, b.country):
            return (
                "This event does not arrange meetings between participants from "
                f"{a.country} and {b.country}."
            )
        if frozenset((a.participant_id, b.participant_id)) in self.excluded_pairs:
            return "You have already met, or one of you declined a meeting."
        return None


def _country_sets(raw: Mapping[str, Iterable[str]]) -> tuple[tuple[str, frozenset[str]], ...]:
    sets: list[tuple[str, frozenset[str]]] = []
    for name, members in raw.items():
        if not isinstance(name, str) or not name.strip() or len(name) > 40:
            raise InvalidRulesError(f"country_sets: bad set name {name!r}")
        if isinstance(members, str):
            raise InvalidRulesError(f"country_sets.{name}: give a list of country codes")
        codes = frozenset(str(code).upper() for code in members)
        bad = sorted(code for code in codes if not _is_country(code))
        if bad:
            raise InvalidRulesError(f"country_sets.{name}: not ISO 3166-1 alpha-2 codes: {bad}")
        if not codes:
            raise InvalidRulesError(f"country_sets.{name}: the set is empty")
        sets.append((name, codes))
    return tuple(sorted(sets))


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
        self._country_table = (
            None
            if rules.allowed_country_set_pairs is None
            else self._countries_allowed(rules, [p.country for p in profiles])
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
    def _countries_allowed(rules: MatchingRules, countries: list[str]) -> BoolArray:
        distinct = list(dict.fromkeys(countries))
        return np.array(
            [[rules.countries_may_meet(a, b) for b in distinct] for a in distinct], dtype=np.bool_
        ).reshape(len(distinct), len(distinct))

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
        if self._country_table is not None:
            mask &= self._country_table[self._country[start:stop]][:, self._country]
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
