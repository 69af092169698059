"""Country sets in an event's matchmaking rules: "EU meets Taiwan" as data.

Rules may name sets of ISO 3166-1 alpha-2 codes (``country_sets``) and the pairs of sets
whose members may meet (``allowed_country_set_pairs``). "EU" and every ISO code are sets
without a definition, so ``[["EU", "TW"]]`` alone is "EU meets Taiwan". The key names are
the ones of ``matchmaking.rules.MatchingRules`` on the "match" branch, so the rules JSON
stays the same when the API delegates the check to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pycountry

# The 27 member states (2020 onwards); ISO codes, so Greece is GR, not EL.
_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU_COUNTRIES = frozenset(_EU.split(" "))
BUILTIN_SETS: Mapping[str, frozenset[str]] = {"EU": EU_COUNTRIES}


def _is_country(name: str) -> bool:
    return len(name) == 2 and name.isupper() and pycountry.countries.get(alpha_2=name) is not None


def is_builtin_country_set(name: str) -> bool:
    return name in BUILTIN_SETS or _is_country(name)


def country_set(rules: Mapping[str, Any], name: str) -> frozenset[str]:
    """The members of a set: the organiser's own first, then EU, then one ISO country."""
    own = (rules.get("country_sets") or {}).get(name)
    if own is not None:
        return frozenset(own)
    if name in BUILTIN_SETS:
        return BUILTIN_SETS[name]
    return frozenset({name}) if _is_country(name) else frozenset()


def countries_may_meet(rules: Mapping[str, Any], first: str, second: str) -> bool:
    """Whether one side's country is in one set of an allowed pair and the other's in the other."""
    pairs = rules.get("allowed_country_set_pairs")
    if pairs is None:
        return True
    for left, right in pairs:
        a, b = country_set(rules, left), country_set(rules, right)
        if (first in a and second in b) or (first in b and second in a):
            return True
    return False
