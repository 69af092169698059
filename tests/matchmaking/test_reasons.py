"""Reasons are true: one per component that scored, quoting what matched, never repeated."""

from __future__ import annotations

import pytest

from matchmaking import Matchmaker, ReasonKind, Recommendation
from tests.matchmaking.conftest import ProfileFactory, offer, request

# Which breakdown component must be positive for a reason of each kind to be shown.
_BACKING = {
    ReasonKind.OFFER_MATCHES_REQUEST: "they_offer",
    ReasonKind.INVESTMENT_MATCHES_FUNDING: "they_offer",
    ReasonKind.REQUEST_MATCHES_OFFER: "you_offer",
    ReasonKind.FUNDING_MATCHES_INVESTMENT: "you_offer",
    ReasonKind.COOPERATION_MATCH: "cooperation",
    ReasonKind.SHARED_SECTORS: "sectors",
    ReasonKind.SHARED_INTERESTS: "interests",
    ReasonKind.SIMILAR_PROFILE: "description",
}


def _assert_backed(recommendation: Recommendation) -> None:
    parts = recommendation.breakdown.to_dict()
    for reason in recommendation.reasons:
        assert parts[_BACKING[reason.kind]] > 0, (reason.text, parts)


@pytest.fixture
def robotics_event(make_profile: ProfileFactory) -> list:
    """A gripper maker and people whose requests resemble its offer only loosely."""
    return [
        make_profile(
            "gripper_maker",
            sectors=("robotics", "manufacturing"),
            interests=("automation",),
            description="We build end-of-arm tooling for collaborative robots.",
            opportunities=(
                offer(
                    "Pneumatic grippers",
                    "Vacuum and pneumatic grippers for pick-and-place cells, compact and "
                    "certified for food contact.",
                    "robotics",
                ),
            ),
        ),
        make_profile(
            "integrator",
            sectors=("robotics",),
            interests=("automation",),
            description="System integrator for packaging lines.",
            opportunities=(
                request(
                    "Pneumatic grippers supplier",
                    "Supplier wanted for a welding line retrofit: torches, fume extraction, "
                    "safety fences and one gripper.",
                    "manufacturing",
                ),
            ),
        ),
        make_profile(
            "packer",
            sectors=("manufacturing",),
            interests=("automation", "food"),
            description="Bakery group automating packaging of bread with robots.",
            opportunities=(
                request(
                    "End-of-arm tooling for food-safe pick and place",
                    "Grippers that may touch bread in our packaging cells.",
                ),
            ),
        ),
        *[
            make_profile(
                f"filler{i}",
                sectors=("manufacturing",),
                description=f"Metal workshop number {i} doing laser cutting.",
                opportunities=(offer("Laser cutting", "Sheet metal laser cutting."),),
            )
            for i in range(6)
        ],
    ]


def test_pneumatic_grippers_reason_needs_a_positive_you_offer(robotics_event: list) -> None:
    """The bug of issue 12: "Requests pneumatic grippers supplier, which you offer" with 0."""
    found = Matchmaker(robotics_event).recommend_for("gripper_maker", k=10)
    assert found
    for recommendation in found:
        _assert_backed(recommendation)


def test_every_reason_is_backed_for_everyone(robotics_event: list) -> None:
    for recommendations in Matchmaker(robotics_event).recommend(k=10).values():
        for recommendation in recommendations:
            _assert_backed(recommendation)


def test_no_reason_twice(robotics_event: list) -> None:
    for recommendations in Matchmaker(robotics_event).recommend(k=10).values():
        for recommendation in recommendations:
            texts = [r.text for r in recommendation.reasons]
            assert len(texts) == len(set(texts)), texts
            tag_sets = [
                frozenset(r.tags)
                for r in recommendation.reasons
                if r.kind in (ReasonKind.SHARED_SECTORS, ReasonKind.SHARED_INTERESTS)
            ]
            assert len(tag_sets) == len(set(tag_sets)), recommendation.reasons
