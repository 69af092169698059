from __future__ import annotations

import itertools
from collections import Counter

import pytest

from matchmaking import (
    AutomatchSettings,
    CandidatePair,
    InvalidRulesError,
    MatchingRules,
    ReasonKind,
    automatch,
    solve_automatch,
)
from tests.matchmaking.conftest import ProfileFactory, offer, request

SETTINGS = AutomatchSettings(time_limit_s=60.0, num_workers=1)
IDS = ["a", "b", "c", "d", "e"]
CANDIDATES = [
    CandidatePair("a", "b", 0.9, True),
    CandidatePair("a", "c", 0.8, False),
    CandidatePair("a", "d", 0.7, False),
    CandidatePair("b", "c", 0.6, False),
    CandidatePair("b", "e", 0.2, False),
    CandidatePair("c", "d", 0.5, False),
    CandidatePair("d", "e", 0.1, False),
]


def _degrees(pairs: list[tuple[str, str]]) -> Counter[str]:
    return Counter(p for pair in pairs for p in pair)


def _brute_force(max_meetings: int, min_meetings: int) -> float:
    best = -1.0
    for size in range(len(CANDIDATES) + 1):
        for subset in itertools.combinations(CANDIDATES, size):
            degree = _degrees([(c.a, c.b) for c in subset])
            if all(min_meetings <= degree[p] <= max_meetings for p in IDS):
                best = max(best, sum(c.score for c in subset))
    return best


@pytest.mark.parametrize(("min_meetings", "max_meetings"), [(0, 1), (0, 2), (1, 2), (1, 1)])
def test_reaches_the_brute_force_optimum(min_meetings: int, max_meetings: int) -> None:
    result = solve_automatch(CANDIDATES, IDS, min_meetings, max_meetings, settings=SETTINGS)
    expected = _brute_force(max_meetings, min_meetings)
    degree = _degrees([(p.a, p.b) for p in result.proposals])
    assert result.status == "optimal"
    assert all(degree[p] <= max_meetings for p in IDS)
    if expected >= 0:
        assert result.shortfalls == ()
        assert result.total_score == pytest.approx(expected)


def test_hand_computed_optimum_with_one_meeting_each() -> None:
    # a-b (0.9) + c-d (0.5) beats a-c (0.8) + b-e (0.2) and every other matching.
    result = solve_automatch(CANDIDATES, IDS, 0, 1, settings=SETTINGS)
    assert {(p.a, p.b) for p in result.proposals} == {("a", "b"), ("c", "d")}
    assert result.total_score == pytest.approx(1.4)


def test_unreachable_minimum_is_reported_as_shortfall() -> None:
    # e has only two candidates, so a minimum of 3 cannot be met for e.
    result = solve_automatch(CANDIDATES, IDS, 3, 3, settings=SETTINGS)
    assert result.status == "optimal"
    short = {s.participant_id: s for s in result.shortfalls}
    assert "e" in short and short["e"].missing >= 1
    degree = _degrees([(p.a, p.b) for p in result.proposals])
    assert all(degree[p] <= 3 for p in IDS)
    for s in result.shortfalls:
        assert s.proposed == degree[s.participant_id]


def test_minimums_come_before_score_by_default() -> None:
    # With max 1, the best score pairs a-b and c-d and leaves e alone; a minimum of 1
    # for e forces b-e or d-e.
    result = solve_automatch(CANDIDATES, IDS, {"e": 1}, 1, settings=SETTINGS)
    assert result.meetings_of("e") == 1
    assert result.shortfalls == ()


def test_per_participant_targets_and_excluded_pairs() -> None:
    rules = MatchingRules.build(excluded_pairs=[("a", "b")])
    result = solve_automatch(
        CANDIDATES, IDS, 0, {"a": 2, "b": 1, "c": 1, "d": 1, "e": 1}, rules, SETTINGS
    )
    pairs = {(p.a, p.b) for p in result.proposals}
    assert ("a", "b") not in pairs
    assert result.meetings_of("a") <= 2


def test_minimum_above_maximum_is_rejected() -> None:
    with pytest.raises(InvalidRulesError):
        solve_automatch(CANDIDATES, IDS, 3, 2, settings=SETTINGS)


def test_automatch_from_profiles_respects_rules_and_explains(
    make_profile: ProfileFactory,
) -> None:
    buyers = [
        make_profile(
            f"buyer{i}",
            group="buyer",
            opportunities=(
                request(
                    "Cold chain logistics for fresh produce", "Refrigerated transport.", "agrifood"
                ),
            ),
        )
        for i in range(3)
    ]
    suppliers = [
        make_profile(
            f"supplier{i}",
            group="supplier",
            opportunities=(
                offer(
                    "Cold chain logistics", "Refrigerated transport of fresh produce.", "agrifood"
                ),
            ),
        )
        for i in range(4)
    ]
    rules = MatchingRules.build(allowed_group_pairs=[("buyer", "supplier")])
    result = automatch(
        buyers + suppliers,
        rules,
        min_meetings={b.participant_id: 2 for b in buyers},
        max_meetings=2,
        settings=SETTINGS,
    )
    assert result.status == "optimal"
    assert len(result.proposals) == 6
    for proposal in result.proposals:
        assert {proposal.a[:5], proposal.b[:5]} == {"buyer", "suppl"}
        kinds = {r.kind for r in proposal.reasons_for_a} | {r.kind for r in proposal.reasons_for_b}
        assert ReasonKind.OFFER_MATCHES_REQUEST in kinds
    assert all(result.meetings_of(b.participant_id) == 2 for b in buyers)
