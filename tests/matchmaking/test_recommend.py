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


def _crowd(make_profile: ProfileFactory, size: int) -> list:
    """Enough people for several blocks of rows, with varied requests and offers."""
    things = ("drones", "sensors", "batteries", "hydrogen", "textiles", "software", "robots")
    uses = ("inspection", "recycling", "logistics", "agriculture", "hospitals", "ports")
    people = []
    for number in range(size):
        thing, use = things[number % len(things)], uses[(number // 7) % len(uses)]
        other = things[(number * 3 + 1) % len(things)]
        people.append(
            make_profile(
                f"x{number}",
                country=("DE", "FR", "ES", "PL")[number % 4],
                description=f"We build {thing} for {use}.",
                opportunities=(
                    offer(f"{thing.title()} for {use}", f"Our {thing} serve {use}."),
                    request(f"Need {other} for {use}", f"Looking for {other} in {use}."),
                ),
            )
        )
    return people


def test_blocks_scored_in_threads_give_the_same_lists_and_reasons(
    make_profile: ProfileFactory,
) -> None:
    people = _crowd(make_profile, 1300)
    threaded = Matchmaker(people, workers=2)
    assert threaded.model.block_rows() < len(people)  # several blocks, so the pool runs
    one = Matchmaker(people, workers=1).recommend(5)
    two = threaded.recommend(5)
    assert one.keys() == two.keys()
    for pid in ("x0", "x1", "x650", "x1299"):
        assert [(r.candidate_id, round(r.score, 5)) for r in one[pid]] == [
            (r.candidate_id, round(r.score, 5)) for r in two[pid]
        ]
        assert [r.reasons for r in one[pid]] == [r.reasons for r in two[pid]]
    assert sum(len(v) for v in two.values()) == 5 * len(people)


def test_reasons_for_many_pairs_match_reasons_one_by_one(make_profile: ProfileFactory) -> None:
    people = _crowd(make_profile, 60)
    matchmaker = Matchmaker(people)
    pairs = [("x0", "x1"), ("x0", "x8"), ("x5", "x12"), ("x30", "x2"), ("x7", "x7")]
    together = matchmaker.explain_many(pairs)
    assert together == [matchmaker.explain(a, b) for a, b in pairs]
    assert any(reasons for reasons in together)
