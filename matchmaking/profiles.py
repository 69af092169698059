"""Validated participant profiles: what the matcher knows about a person and their organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pycountry

from matchmaking.errors import InvalidProfileError


class OrganisationType(StrEnum):
    SME = "sme"
    LARGE_COMPANY = "large_company"
    CLUSTER_ORGANISATION = "cluster_organisation"
    RESEARCH = "research"
    UNIVERSITY = "university"
    PUBLIC_AUTHORITY = "public_authority"
    INVESTOR = "investor"
    OTHER = "other"


class OpportunityKind(StrEnum):
    OFFER = "offer"
    REQUEST = "request"
    COOPERATION = "cooperation"
    INVESTMENT = "investment"
    PARTNER_SEARCH = "partner_search"


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A marketplace item. ``opportunity_id`` is optional so hand-made profiles stay short."""

    kind: OpportunityKind
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    opportunity_id: str | None = None

    def __post_init__(self) -> None:
        # Accept plain strings from callers that read JSON, but store the enum.
        try:
            object.__setattr__(self, "kind", OpportunityKind(self.kind))
        except ValueError as exc:
            raise InvalidProfileError(f"unknown opportunity kind {self.kind!r}") from exc
        if not self.title.strip():
            raise InvalidProfileError("an opportunity needs a title")
        object.__setattr__(self, "tags", tuple(self.tags))

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}"


@dataclass(frozen=True, slots=True)
class ParticipantProfile:
    participant_id: str
    organisation_id: str
    organisation_type: OrganisationType
    country: str
    region: str = ""
    group: str | None = None
    interests: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    description: str = ""
    opportunities: tuple[Opportunity, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.participant_id:
            raise InvalidProfileError("participant_id must not be empty")
        if not self.organisation_id:
            raise InvalidProfileError(f"{self.participant_id}: organisation_id must not be empty")
        try:
            object.__setattr__(self, "organisation_type", OrganisationType(self.organisation_type))
        except ValueError as exc:
            raise InvalidProfileError(
                f"{self.participant_id}: unknown organisation type {self.organisation_type!r}"
            ) from exc
        country = self.country.upper()
        if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
            raise InvalidProfileError(
                f"{self.participant_id}: country must be an ISO 3166-1 alpha-2 code, "
                f"got {self.country!r}"
            )
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "interests", tuple(self.interests))
        object.__setattr__(self, "sectors", tuple(self.sectors))
        object.__setattr__(self, "opportunities", tuple(self.opportunities))

    def items_of(self, *kinds: OpportunityKind) -> tuple[Opportunity, ...]:
        return tuple(o for o in self.opportunities if o.kind in kinds)


def index_profiles(
    profiles: list[ParticipantProfile] | tuple[ParticipantProfile, ...],
) -> dict[str, int]:
    """Row index of every participant; duplicate ids would silently merge two people."""
    index: dict[str, int] = {}
    for row, profile in enumerate(profiles):
        if profile.participant_id in index:
            raise InvalidProfileError(f"duplicate participant id {profile.participant_id!r}")
        index[profile.participant_id] = row
    return index
