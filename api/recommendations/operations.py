"""Explained recommendations for one participant, from the event's current data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.models import Event, Participant
from api.recommendations.profiles import (
    answered_requests,
    build_profiles,
    build_rules,
    event_participants,
    tag_labels,
)
from matchmaking import Matchmaker


@dataclass(frozen=True)
class ExplainedRecommendation:
    """A candidate with the rank, score and reasons the matchmaker gave."""

    candidate: Participant
    rank: int
    score: float
    is_mutual: bool
    breakdown: dict[str, float]
    reasons: list[dict[str, Any]]


def recommendations_for(
    event: Event, participant: Participant, limit: int
) -> list[ExplainedRecommendation]:
    """Top ``limit`` candidates, mutual interest first, under the organiser's rules.

    Hidden participants are never recommended to anyone (they still get their own list);
    pairs that met, will meet, or where one side declined are left out. The event's
    accepted and declined requests feed the ranking (``outcomes``): candidates who resemble
    people accepted by requesters with similar needs rise, look-alikes of declined ones
    fall (see matchmaking/feedback.py).
    """
    people = event_participants(event)
    if participant.id not in {p.id for p in people}:
        people.append(participant)
    matchmaker = Matchmaker(
        build_profiles(people, event),
        build_rules(event),
        labels=tag_labels(event),
        outcomes=answered_requests(event),
    )
    by_id = {p.id: p for p in people}
    found = matchmaker.recommend_for(str(participant.id), limit)
    return [
        ExplainedRecommendation(
            candidate=by_id[int(r.candidate_id)],
            rank=r.rank,
            score=round(r.score, 4),
            is_mutual=r.is_mutual,
            breakdown=r.breakdown.to_dict(),
            reasons=[_with_int_ids(reason.to_dict()) for reason in r.reasons],
        )
        for r in found
    ]


def _with_int_ids(reason: dict[str, Any]) -> dict[str, Any]:
    """Opportunity ids are strings in the matchmaker and integers in the API."""
    for side in ("their_item", "your_item"):
        item = reason.get(side)
        if isinstance(item, dict) and item.get("id") is not None:
            reason[side] = {**item, "id": int(item["id"])}
    return reason
