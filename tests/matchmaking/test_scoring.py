from __future__ import annotations

import pytest

from matchmaking import (
    InvalidProfileError,
    Matchmaker,
    Opportunity,
    OpportunityKind,
    ReasonKind,
    recommend,
    recommend_for,
)
from tests.matchmaking.conftest import ProfileFactory, offer, request


@pytest.fixture
def battery_event(make_profile: ProfileFactory) -> list:
    return [
        make_profile(
            "buyer",
            country="DE",
            interests=("batteries", "circular-economy"),
            description="Manufacturer of electric buses for city transport.",
            opportunities=(
                request(
                    "Battery recycling",
                    "We need a partner to recycle spent lithium-ion battery packs from buses.",
                    "batteries",
                    "recycling",
                ),
            ),
        ),
        make_profile(
            "recycler",
            country="FR",
            interests=("circular-economy",),
            description="Hydrometallurgical plant recovering metals from waste.",
            opportunities=(
                offer(
                    "Lithium-ion battery recycling",
                    "Our plant recycles lithium-ion packs and recovers cobalt and nickel.",
                    "batteries",
                    "recycling",
                ),
            ),
        ),
        make_profile(
            "weaver",
            country="IT",
            interests=("textiles",),
            description="Weaving mill for technical textiles and workwear.",
            opportunities=(
                offer("Technical fabric weaving", "Small batches of fabric.", "textiles"),
            ),
        ),
    ]


def test_offer_matching_a_request_scores_higher_than_unrelated(battery_event: list) -> None:
    recs = recommend(battery_event, k=2)["buyer"]
    assert recs[0].candidate_id == "recycler"
    scores = {r.candidate_id: r.score for r in recs}
    assert scores["recycler"] > scores.get("weaver", 0.0) + 0.3


def test_reason_names_the_matching_items(battery_event: list) -> None:
    rec = recommend_for(battery_event, "buyer", k=1)[0]
    reason = next(r for r in rec.reasons if r.kind is ReasonKind.OFFER_MATCHES_REQUEST)
    assert reason.text == (
        "Offers \u201cLithium-ion battery recycling\u201d, which you request "
        "(\u201cBattery recycling\u201d); both mention recycle, battery, lithium-ion"
    )
    assert reason.their_item is not None and reason.their_item.title.startswith("Lithium")
    assert reason.your_item is not None and reason.your_item.title == "Battery recycling"
    assert set(reason.tags) == {"batteries", "recycling"}
    assert reason.to_dict()["kind"] == "offer_matches_request"


def test_reasons_are_written_from_each_side(battery_event: list) -> None:
    rec = recommend_for(battery_event, "recycler", k=1)[0]
    assert rec.candidate_id == "buyer"
    kinds = {r.kind for r in rec.reasons}
    assert ReasonKind.REQUEST_MATCHES_OFFER in kinds
    assert ReasonKind.SHARED_INTERESTS in kinds
    shared = next(r for r in rec.reasons if r.kind is ReasonKind.SHARED_INTERESTS)
    assert shared.tags == ("circular-economy",)


def test_breakdown_is_directional(battery_event: list) -> None:
    recs = recommend(battery_event, k=1)
    there, back = recs["buyer"][0], recs["recycler"][0]
    assert there.candidate_id == "recycler" and back.candidate_id == "buyer"
    assert there.breakdown.they_offer > 0.3 and there.breakdown.you_offer == 0.0
    assert back.breakdown.you_offer > 0.3 and back.breakdown.they_offer == 0.0


def test_investment_matches_a_funding_request(make_profile: ProfileFactory) -> None:
    profiles = [
        make_profile(
            "fund",
            organisation_type="investor",
            opportunities=(
                Opportunity(
                    OpportunityKind.INVESTMENT,
                    "Seed investment in hydrogen start-ups",
                    "Tickets of EUR 1 million.",
                    ("hydrogen",),
                ),
            ),
        ),
        make_profile(
            "startup",
            opportunities=(
                request(
                    "Seed investment for our hydrogen start-up",
                    "We look for investors in hydrogen.",
                    "hydrogen",
                    "funding",
                ),
            ),
        ),
    ]
    rec = recommend_for(profiles, "startup", k=1)[0]
    assert rec.candidate_id == "fund"
    assert rec.reasons[0].kind is ReasonKind.INVESTMENT_MATCHES_FUNDING


def test_cooperation_items_match_each_other_and_count_as_mutual(
    make_profile: ProfileFactory,
) -> None:
    coop = OpportunityKind.PARTNER_SEARCH
    profiles = [
        make_profile(
            "a",
            opportunities=(
                Opportunity(
                    coop,
                    "Partners for a Horizon Europe call on green hydrogen valleys",
                    tags=("hydrogen",),
                ),
            ),
        ),
        make_profile(
            "b",
            opportunities=(
                Opportunity(
                    OpportunityKind.COOPERATION,
                    "Horizon Europe consortium on green hydrogen valleys",
                    tags=("hydrogen",),
                ),
            ),
        ),
        make_profile("c", description="Bakery"),
    ]
    rec = recommend_for(profiles, "a", k=5)
    assert [r.candidate_id for r in rec] == ["b"]
    assert rec[0].is_mutual
    assert rec[0].reasons[0].kind is ReasonKind.COOPERATION_MATCH


def test_similar_descriptions_give_a_similar_profile_reason(
    make_profile: ProfileFactory,
) -> None:
    profiles = [
        make_profile("a", description="We design photonic chips for lidar sensors."),
        make_profile("b", description="Photonic chips and lidar sensors for cars."),
    ]
    reasons = Matchmaker(profiles).explain("a", "b")
    similar = [r for r in reasons if r.kind is ReasonKind.SIMILAR_PROFILE]
    # The lexicon spells "lidar" out as laser scanning, so "laser" is a shared meaning, and
    # names the synonym group of "sensors" by its first word.
    shown = {"photonic", "chips", "lidar", "sensors", "sensor", "laser"}
    assert similar and set(similar[0].terms) <= shown


def test_unrelated_pairs_below_min_score_are_not_recommended(
    make_profile: ProfileFactory,
) -> None:
    profiles = [make_profile("a", description="Bakery"), make_profile("b", description="Ships")]
    assert recommend(profiles, k=3) == {"a": [], "b": []}


def test_invalid_profiles_are_rejected(make_profile: ProfileFactory) -> None:
    with pytest.raises(InvalidProfileError):
        make_profile(country="XX")
    with pytest.raises(InvalidProfileError):
        make_profile(organisation_type="startup")
    with pytest.raises(InvalidProfileError):
        recommend([make_profile("same"), make_profile("same")])
