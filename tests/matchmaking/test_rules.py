from __future__ import annotations

import pytest

from matchmaking import InvalidRulesError, MatchingRules, Matchmaker, recommend
from tests.matchmaking.conftest import ProfileFactory, offer, request

HYDROGEN = ("hydrogen",)


def _everyone_related(make_profile: ProfileFactory, **per_id: dict[str, object]) -> list:
    """Profiles that would all recommend each other if no rule stood in the way."""
    return [
        make_profile(
            pid,
            interests=HYDROGEN,
            description="Green hydrogen electrolysers.",
            opportunities=(
                offer("Electrolyser stacks", "", *HYDROGEN),
                request("Electrolyser stacks testing", "", *HYDROGEN),
            ),
            **fields,
        )
        for pid, fields in per_id.items()
    ]


def _candidates(profiles: list, rules: MatchingRules | None = None) -> dict[str, set[str]]:
    return {
        pid: {r.candidate_id for r in recs}
        for pid, recs in recommend(profiles, rules, k=10).items()
    }


def test_same_organisation_never_meets(make_profile: ProfileFactory) -> None:
    profiles = _everyone_related(
        make_profile,
        a={"organisation_id": "acme"},
        b={"organisation_id": "acme"},
        c={"organisation_id": "other"},
    )
    assert _candidates(profiles) == {"a": {"c"}, "b": {"c"}, "c": {"a", "b"}}


def test_organisation_type_pairs(make_profile: ProfileFactory) -> None:
    profiles = _everyone_related(
        make_profile,
        sme={"organisation_type": "sme"},
        sme2={"organisation_type": "sme"},
        uni={"organisation_type": "university"},
        fund={"organisation_type": "investor"},
    )
    rules = MatchingRules.build(allowed_type_pairs=[("investor", "sme"), ("university", "sme")])
    assert _candidates(profiles, rules) == {
        "sme": {"uni", "fund"},
        "sme2": {"uni", "fund"},
        "uni": {"sme", "sme2"},
        "fund": {"sme", "sme2"},
    }


def test_group_pairs_let_buyers_meet_only_suppliers(make_profile: ProfileFactory) -> None:
    profiles = _everyone_related(
        make_profile,
        b1={"group": "buyer"},
        b2={"group": "buyer"},
        s1={"group": "supplier"},
        s2={"group": "supplier"},
        nobody={},
    )
    rules = MatchingRules.build(allowed_group_pairs=[("buyer", "supplier")])
    assert _candidates(profiles, rules) == {
        "b1": {"s1", "s2"},
        "b2": {"s1", "s2"},
        "s1": {"b1", "b2"},
        "s2": {"b1", "b2"},
        "nobody": set(),
    }


def test_cross_border_only(make_profile: ProfileFactory) -> None:
    profiles = _everyone_related(
        make_profile, de={"country": "DE"}, de2={"country": "DE"}, tw={"country": "TW"}
    )
    rules = MatchingRules.build(cross_border_only=True)
    assert _candidates(profiles, rules) == {"de": {"tw"}, "de2": {"tw"}, "tw": {"de", "de2"}}


def test_pairs_already_met_or_declined_are_excluded(make_profile: ProfileFactory) -> None:
    profiles = _everyone_related(make_profile, a={}, b={}, c={})
    rules = MatchingRules.build(excluded_pairs=[("b", "a"), ("gone", "c")])
    assert _candidates(profiles, rules) == {"a": {"c"}, "b": {"c"}, "c": {"a", "b"}}


def test_allowed_pair_count_follows_the_rules(make_profile: ProfileFactory) -> None:
    profiles = _everyone_related(
        make_profile, a={"country": "DE"}, b={"country": "FR"}, c={"country": "FR"}
    )
    assert Matchmaker(profiles).allowed_pair_count() == 3
    rules = MatchingRules.build(cross_border_only=True)
    assert Matchmaker(profiles, rules).allowed_pair_count() == 2


def test_unknown_organisation_type_in_rules_is_rejected() -> None:
    with pytest.raises(InvalidRulesError):
        MatchingRules.build(allowed_type_pairs=[("sme", "startup")])
