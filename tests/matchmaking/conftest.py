from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchmaking import Opportunity, OpportunityKind, ParticipantProfile

ProfileFactory = Callable[..., ParticipantProfile]


@pytest.fixture
def make_profile() -> ProfileFactory:
    """Return a callable that creates profiles; each gets its own organisation unless told."""
    counter = iter(range(1_000_000))

    def factory(participant_id: str | None = None, **fields: Any) -> ParticipantProfile:
        number = next(counter)
        pid = participant_id or f"p{number}"
        fields.setdefault("organisation_id", f"org-{pid}")
        fields.setdefault("organisation_type", "sme")
        fields.setdefault("country", "DE")
        return ParticipantProfile(participant_id=pid, **fields)

    return factory


def offer(title: str, description: str = "", *tags: str) -> Opportunity:
    return Opportunity(OpportunityKind.OFFER, title, description, tuple(tags))


def request(title: str, description: str = "", *tags: str) -> Opportunity:
    return Opportunity(OpportunityKind.REQUEST, title, description, tuple(tags))
