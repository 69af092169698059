from __future__ import annotations

import random

import pytest

from matchmaking import InvalidRulesError, MatchingRules, Matchmaker, recommend
from matchmaking.rules import PairSide, RuleMask
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


# --- one place decides: the scalar check and the vectorised mask agree -------------------

_COUNTRIES = ("DE", "FR", "TW", "CA", "TN", "MA", "EG", "BE")
_TYPES = ("sme", "research", "investor", "large_company")
_GROUPS = (None, "buyers", "suppliers")


def _random_rules(rng: random.Random, ids: list[str]) -> MatchingRules:
    excluded = [tuple(rng.sample(ids, 2)) for _ in range(rng.randrange(4))]
    return MatchingRules.build(
        cross_border_only=rng.random() < 0.5,
        allowed_type_pairs=(
            None
            if rng.random() < 0.4
            else [tuple(rng.choices(_TYPES, k=2)) for _ in range(rng.randrange(1, 4))]
        ),
        allowed_group_pairs=(
            None
            if rng.random() < 0.4
            else [tuple(rng.choices(_GROUPS, k=2)) for _ in range(rng.randrange(1, 4))]
        ),
        country_sets={"SOUTH_MED": ["TN", "MA", "EG"], "NORTH_AMERICA": ["CA", "US"]},
        allowed_country_set_pairs=(
            None
            if rng.random() < 0.3
            else [
                tuple(rng.choices(("EU", "TW", "SOUTH_MED", "NORTH_AMERICA", "CA"), k=2))
                for _ in range(rng.randrange(1, 3))
            ]
        ),
        excluded_pairs=excluded,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("seed", range(40))
def test_pair_problem_agrees_with_the_mask(seed: int, make_profile: ProfileFactory) -> None:
    rng = random.Random(seed)
    profiles = [
        make_profile(
            f"p{i}",
            organisation_id=f"org{rng.randrange(8)}",
            organisation_type=rng.choice(_TYPES),
            country=rng.choice(_COUNTRIES),
            group=rng.choice(_GROUPS),
        )
        for i in range(24)
    ]
    ids = [p.participant_id for p in profiles]
    rules = _random_rules(rng, ids)
    mask = RuleMask(profiles, rules, {pid: row for row, pid in enumerate(ids)}).block(0, 24)
    refused = 0
    for i, a in enumerate(profiles):
        for j, b in enumerate(profiles):
            problem = rules.pair_problem(PairSide.of(a), PairSide.of(b))
            assert (problem is None) == bool(mask[i, j]), (a, b, problem)
            refused += problem is not None
    assert refused >= 24  # at least the diagonal: the check is not vacuous


def test_pair_problem_texts_say_why(make_profile: ProfileFactory) -> None:
    de = PairSide("1", "o1", "sme", "DE")
    rules = MatchingRules.build(cross_border_only=True)
    assert rules.pair_problem(de, PairSide("2", "o1", "sme", "FR")) == (
        "You both represent the same organisation."
    )
    assert rules.pair_problem(de, PairSide("2", "o2", "sme", "DE")) == (
        "This event only allows meetings across borders."
    )
    assert rules.pair_problem(de, PairSide("2", "o2", "sme", "FR")) is None
    typed = MatchingRules.build(allowed_type_pairs=[("sme", "investor")])
    assert typed.pair_problem(de, PairSide("2", "o2", "research", "FR")) == (
        "This event does not arrange meetings between sme and research organisations."
    )


def test_eu_meets_taiwan_as_country_sets() -> None:
    rules = MatchingRules.from_mapping(
        {"cross_border_only": True, "allowed_country_set_pairs": [["EU", "TW"]]}
    )
    germany, france = PairSide("1", "o1", "sme", "DE"), PairSide("2", "o2", "sme", "FR")
    taipei = PairSide("3", "o3", "sme", "TW")
    assert rules.pair_problem(germany, taipei) is None
    assert rules.pair_problem(taipei, france) is None
    assert rules.pair_problem(germany, france) == (
        "This event does not arrange meetings between participants from DE and FR."
    )
    assert rules.pair_problem(taipei, PairSide("4", "o4", "sme", "TW")) is not None


def test_cross_border_means_different_countries() -> None:
    rules = MatchingRules.from_mapping({"cross_border_only": True})
    assert (
        rules.pair_problem(PairSide("1", "o1", "sme", "DE"), PairSide("2", "o2", "sme", "FR"))
        is None
    )


def test_named_country_sets_and_their_errors() -> None:
    rules = MatchingRules.from_mapping(
        {
            "country_sets": {"SOUTH_MED": ["tn", "MA", "EG"]},
            "allowed_country_set_pairs": [["EU", "SOUTH_MED"]],
        }
    )
    assert rules.country_set("SOUTH_MED") == {"TN", "MA", "EG"}
    assert (
        rules.pair_problem(PairSide("1", "o1", "sme", "IT"), PairSide("2", "o2", "sme", "TN"))
        is None
    )
    with pytest.raises(InvalidRulesError, match="SOUTH_MEDD"):
        MatchingRules.from_mapping({"allowed_country_set_pairs": [["EU", "SOUTH_MEDD"]]})
    with pytest.raises(InvalidRulesError, match="XX"):
        MatchingRules.from_mapping({"country_sets": {"A": ["XX"]}})
    with pytest.raises(InvalidRulesError, match="allowed_country_set_pairs"):
        MatchingRules.from_mapping({"allowed_country_set_pairs": ["EU"]})
    # Settings of other features in the same JSON object are not the matcher's business.
    assert MatchingRules.from_mapping({"video_links": "x"}) == MatchingRules()
