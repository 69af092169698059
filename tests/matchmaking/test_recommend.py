from __future__ import annotations

import pytest

from matchmaking import (
    InvalidRulesError,
    Matchmaker,
    UnknownParticipantError,
    recommend,
    recommend_for,
)
from tests.matchmaking.conftest import ProfileFactory, offer, request


@pytest.fixture
def market(make_profile: ProfileFactory) -> list:
    """'me' requests drones and offers sensors; 'mutual' answers both ways, 'one_way' once."""
    return [
        make_profile(
            "me",
            opportunities=(
                request("Inspection drones", "Drones for power line inspection."),
                offer("Thermal camera sensors", "Thermal sensors for drones."),
            ),
        ),
        make_profile(
            "one_way",
            description="Drone maker.",
            opportunities=(
                offer(
                    "Inspection drones with lidar",
                    "Drones for power line inspection "
                    "with lidar and long range, certified for beyond line of sight.",
                ),
            ),
        ),
        make_profile(
            "mutual",
            opportunities=(
                offer("Inspection drones", "Drones for power line inspection."),
                request("Thermal camera sensors", "Thermal camera sensors for drones."),
            ),
        ),
        *[
            make_profile(f"other{i}", opportunities=(offer("Inspection drones", "Drones."),))
            for i in range(5)
        ],
    ]


def test_mutual_interest_comes_first(market: list) -> None:
    recs = recommend_for(market, "me", k=10)
    assert recs[0].candidate_id == "mutual"
    assert recs[0].is_mutual
    assert not any(r.is_mutual for r in recs[1:])
    assert [r.rank for r in recs] == list(range(1, len(recs) + 1))


def test_non_mutual_candidates_follow_by_decreasing_score(market: list) -> None:
    recs = recommend_for(market, "me", k=10)[1:]
    scores = [r.score for r in recs]
    assert scores == sorted(scores, reverse=True)


def test_top_k_limits_the_list(market: list) -> None:
    all_recs = recommend(market, k=3)
    assert all(len(recs) <= 3 for recs in all_recs.values())
    assert len(all_recs["me"]) == 3
    assert [r.candidate_id for r in all_recs["me"]] == [
        r.candidate_id for r in recommend_for(market, "me", k=3)
    ]


def test_candidate_pairs_are_unordered_and_unique(market: list) -> None:
    pairs = Matchmaker(market).candidate_pairs(per_participant=3)
    keys = [(p.a, p.b) for p in pairs]
    assert len(keys) == len({frozenset(k) for k in keys})
    assert all(p.a < p.b for p in pairs)


def test_bad_arguments(market: list) -> None:
    with pytest.raises(UnknownParticipantError):
        recommend_for(market, "stranger")
    with pytest.raises(InvalidRulesError):
        recommend(market, k=0)
