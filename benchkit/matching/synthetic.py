"""A seeded, reproducible "Clusters meet Regions"-style population with planted matches.

Used for the demo and the benchmark. Texts are templated but varied; a documented share
of participants get a *planted* counterpart: one side requests something and the other
offers it, written with different titles, verbs and phrasings that share the topic, the
application and one concrete detail (as a real answer to a real request would), never a
copy of the request. Background items draw from the same capabilities, applications and
details, so a planted pair competes with look-alikes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pycountry

from matchmaking.errors import InvalidRulesError
from matchmaking.profiles import (
    Opportunity,
    OpportunityKind,
    OrganisationType,
    ParticipantProfile,
)

DEFAULT_PLANTED_SHARE = 0.4
DEFAULT_MUTUAL_SHARE = 0.25


@dataclass(frozen=True)
class Tag:
    slug: str
    label: str
    group: str  # "theme" (policy themes) or "sector" (sectors and technologies)


@dataclass(frozen=True)
class Taxonomy:
    tags: tuple[Tag, ...]

    def labels(self) -> dict[str, str]:
        return {t.slug: t.label for t in self.tags}

    def slugs(self, group: str) -> tuple[str, ...]:
        return tuple(t.slug for t in self.tags if t.group == group)


@dataclass(frozen=True)
class Organisation:
    organisation_id: str
    name: str
    organisation_type: OrganisationType
    country: str
    region: str
    sectors: tuple[str, ...]
    size: str
    website: str


@dataclass(frozen=True)
class Participant:
    participant_id: str
    first_name: str
    last_name: str
    role: str
    email: str
    organisation_id: str
    profile: ParticipantProfile


@dataclass(frozen=True)
class PlantedPair:
    """``offerer`` wrote an offer for ``requester``'s request on ``capability``."""

    requester_id: str
    offerer_id: str
    capability: str
    is_mutual: bool


@dataclass(frozen=True)
class Population:
    organisations: tuple[Organisation, ...]
    participants: tuple[Participant, ...]
    taxonomy: Taxonomy
    planted_pairs: tuple[PlantedPair, ...]
    seed: int

    @property
    def profiles(self) -> tuple[ParticipantProfile, ...]:
        return tuple(p.profile for p in self.participants)


# The phrase tables are data (benchkit/matching/data/phrases.json), not code: the
# generator only combines them.
_PHRASES: dict[str, Any] = json.loads(
    resources.files("benchkit.matching").joinpath("data/phrases.json").read_text("utf-8")
)


def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in _PHRASES[name])


def _strings(name: str) -> tuple[str, ...]:
    return tuple(str(s) for s in _PHRASES[name])


THEMES = _pairs("THEMES")
SECTORS = _pairs("SECTORS")
# (slug, sector, offer noun phrase, request noun phrase, offer verb phrase, request verb
# phrase): the two sides name the same need differently, as people do.
CAPABILITIES: tuple[tuple[str, str, str, str, str, str], ...] = tuple(
    (str(a), str(b), str(c), str(d), str(e), str(f))
    for a, b, c, d, e, f in _PHRASES["CAPABILITIES"]
)
# Where a capability is used; the two wordings share the word a reader would pick out.
APPLICATIONS = _pairs("APPLICATIONS")
# A concrete detail of the need; both sides mention it in their own words.
DETAILS = _pairs("DETAILS")
OFFER_OPENINGS = _strings("OFFER_OPENINGS")
OFFER_CLOSINGS = _strings("OFFER_CLOSINGS")
REQUEST_OPENINGS = _strings("REQUEST_OPENINGS")
REQUEST_CLOSINGS = _strings("REQUEST_CLOSINGS")
# (ISO code, regions, legal form, first names, last names)
COUNTRIES: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (str(code), tuple(regions), str(legal), tuple(first), tuple(last))
    for code, regions, legal, first, last in _PHRASES["COUNTRIES"]
)
_NON_EUROPE = frozenset({"TW", "CA", "TN", "MA", "JP"})
REGIONS = tuple(region for country in COUNTRIES for region in country[1])
QUANTITIES = tuple(range(20, 1000, 20))
TYPE_SHARES: tuple[tuple[OrganisationType, float], ...] = tuple(
    (OrganisationType(kind), float(share)) for kind, share in _PHRASES["TYPE_SHARES"]
)
ROLES: dict[OrganisationType, tuple[str, ...]] = {
    OrganisationType(kind): tuple(roles) for kind, roles in _PHRASES["ROLES"].items()
}
TYPE_PHRASES: dict[OrganisationType, str] = {
    OrganisationType(kind): str(phrase) for kind, phrase in _PHRASES["TYPE_PHRASES"].items()
}
STEMS = _strings("STEMS")
NAME_ENDINGS = _strings("NAME_ENDINGS")


def _taxonomy() -> Taxonomy:
    tags = [Tag(slug, label, "theme") for slug, label in THEMES]
    tags += [Tag(slug, label, "sector") for slug, label in SECTORS]
    return Taxonomy(tuple(tags))


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


@dataclass
class _Draft:
    """Mutable while the generator plants items; frozen into a profile at the end."""

    participant_id: str
    organisation: Organisation
    first_name: str
    last_name: str
    role: str
    interests: list[str]
    sectors: list[str]
    items: list[Opportunity]


class _Writer:
    """Writes opportunity texts; one instance per population so ids stay sequential."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0
        self.by_sector: dict[str, list[int]] = {}
        for number, capability in enumerate(CAPABILITIES):
            self.by_sector.setdefault(capability[1], []).append(number)

    def _id(self) -> str:
        self.count += 1
        return f"opp{self.count:06d}"

    def capability_for(self, sectors: list[str]) -> int:
        choices = [c for s in sectors for c in self.by_sector.get(s, [])]
        if choices and self.rng.random() < 0.85:
            return self.rng.choice(choices)
        return self.rng.randrange(len(CAPABILITIES))

    def offer(
        self, capability: int, application: int, detail: int, region: str, quantity: int
    ) -> Opportunity:
        slug, sector, offer_name, _, offer_phrase, _ = CAPABILITIES[capability]
        text = (
            f"{self.rng.choice(OFFER_OPENINGS)} {offer_phrase} "
            f"{APPLICATIONS[application][0]}, {DETAILS[detail][0]}. "
            f"We can handle {quantity} units a year and already serve clients in {region}. "
            f"{self.rng.choice(OFFER_CLOSINGS)}"
        )
        return Opportunity(OpportunityKind.OFFER, offer_name, text, (sector, slug), self._id())

    def request(
        self, capability: int, application: int, detail: int, region: str, quantity: int
    ) -> Opportunity:
        slug, sector, _, request_name, _, request_phrase = CAPABILITIES[capability]
        text = (
            f"{self.rng.choice(REQUEST_OPENINGS)} {request_phrase} "
            f"{APPLICATIONS[application][1]}, {DETAILS[detail][1]}, "
            f"about {quantity} units for our sites in {region}. "
            f"{self.rng.choice(REQUEST_CLOSINGS)}"
        )
        return Opportunity(OpportunityKind.REQUEST, request_name, text, (sector, slug), self._id())

    def investment(self, sector: str, label: str) -> Opportunity:
        ticket = self.rng.choice(("0.5 to 2", "1 to 5", "3 to 10"))
        stage = self.rng.choice(("seed", "early-stage", "growth"))
        return Opportunity(
            OpportunityKind.INVESTMENT,
            f"Investment in {stage} {label.lower()} companies",
            f"We invest EUR {ticket} million in {stage} companies in "
            f"{label.lower()} and look for funding requests from European start-ups.",
            (sector, "funding"),
            self._id(),
        )

    def funding_request(self, capability: int) -> Opportunity:
        slug, sector, offer_name, _, offer_phrase, _ = CAPABILITIES[capability]
        return Opportunity(
            OpportunityKind.REQUEST,
            f"Seed funding for {offer_name.lower()}",
            f"We are raising a seed round to scale {offer_phrase} and look for investors.",
            (sector, slug, "funding"),
            self._id(),
        )

    def cooperation(self, capability: int, region: str) -> Opportunity:
        slug, sector, offer_name, request_name, offer_phrase, _ = CAPABILITIES[capability]
        call = self.rng.choice(
            ("Horizon Europe", "Interreg", "LIFE", "Digital Europe", "Eureka", "Erasmus+")
        )
        kind = self.rng.choice((OpportunityKind.PARTNER_SEARCH, OpportunityKind.COOPERATION))
        topic = self.rng.choice((offer_name, request_name)).lower()
        application = self.rng.choice(APPLICATIONS)[self.rng.randrange(2)]
        role = self.rng.choice(
            (
                "a pilot site",
                "a technology partner",
                "an end user",
                "a research partner",
                "a coordinator",
            )
        )
        return Opportunity(
            kind,
            f"{call} partners: {topic}",
            f"Consortium from {region} preparing a {call} proposal on {offer_phrase} "
            f"{application}; we still need {role}.",
            (sector, slug),
            self._id(),
        )


def _organisations(rng: random.Random, count: int) -> list[Organisation]:
    types, shares = zip(*TYPE_SHARES, strict=True)
    sector_slugs = [slug for slug, _ in SECTORS]
    sector_labels = dict(SECTORS)
    europe = [c for c in COUNTRIES if c[0] not in _NON_EUROPE]
    abroad = [c for c in COUNTRIES if c[0] in _NON_EUROPE]
    names: set[str] = set()
    result = []
    for number in range(count):
        # Every type and the first countries appear even in a small demo population.
        kind = types[number] if number < len(types) else rng.choices(types, weights=shares)[0]
        if number < len(COUNTRIES):
            code, regions, legal, _, _ = COUNTRIES[number]
        else:
            code, regions, legal, _, _ = rng.choice(abroad if rng.random() < 0.08 else europe)
        region = rng.choice(regions)
        sectors = tuple(rng.sample(sector_slugs, rng.choice((1, 2, 2, 3))))
        stem, focus = rng.choice(STEMS), sector_labels[sectors[0]]
        name = {
            OrganisationType.SME: f"{stem} {rng.choice(NAME_ENDINGS)} {legal}",
            OrganisationType.LARGE_COMPANY: f"{stem} {rng.choice(('Group', 'Industries'))}",
            OrganisationType.CLUSTER_ORGANISATION: f"{region} {focus} Cluster",
            OrganisationType.RESEARCH: f"{stem} Institute for {focus}",
            OrganisationType.UNIVERSITY: f"University of {region}",
            OrganisationType.PUBLIC_AUTHORITY: f"{region} Regional Development Agency",
            OrganisationType.INVESTOR: f"{stem} {rng.choice(('Ventures', 'Capital'))}",
            OrganisationType.OTHER: f"{region} Chamber of Commerce",
        }[kind]
        base, suffix = name, 2
        while name in names:
            name = (
                f"{base} ({suffix})"
                if kind is not OrganisationType.SME
                else (f"{stem}{suffix} {base.split(' ', 1)[1]}")
            )
            suffix += 1
        names.add(name)
        domain = "".join(ch for ch in name.lower() if ch.isalnum())[:24]
        result.append(
            Organisation(
                organisation_id=f"o{number:05d}",
                name=name,
                organisation_type=kind,
                country=code,
                region=region,
                sectors=sectors,
                size=rng.choice(("1-9", "10-49", "50-249", "250+")),
                website=f"https://www.{domain}.example",
            )
        )
    return result


def _description(draft: _Draft, labels: dict[str, str], rng: random.Random) -> str:
    org = draft.organisation
    sectors = " and ".join(labels[s].lower() for s in draft.sectors)
    interests = ", ".join(labels[s].lower() for s in draft.interests)
    own = [c for c in CAPABILITIES if c[1] in draft.sectors]
    focus = rng.choice(own)[4] if own else ""
    text = (
        f"{org.name} is {TYPE_PHRASES[org.organisation_type]} from {org.region}, "
        f"{_country_name(org.country)}, working on {sectors}. "
    )
    if focus:
        text += f"Our current focus is {focus}. "
    return text + (
        f"{draft.first_name} {draft.last_name} attends as {draft.role.lower()} "
        f"and wants to discuss {interests}."
    )


def generate_population(
    n_participants: int,
    seed: int,
    *,
    planted_share: float = DEFAULT_PLANTED_SHARE,
    mutual_share: float = DEFAULT_MUTUAL_SHARE,
) -> Population:
    """Generate ``n_participants`` participants; the same seed gives the same population.

    ``planted_share`` of the participants (40 % by default) are paired: in each pair one
    requests a capability and the other gets an offer written for that request (same
    capability, application and detail, different wording). ``mutual_share`` of the
    planted pairs (25 %) also get the reverse match on another capability.
    """
    if n_participants < 0 or not 0.0 <= planted_share <= 1.0 or not 0 <= mutual_share <= 1:
        raise InvalidRulesError("n_participants >= 0 and shares in [0, 1] are required")
    rng = random.Random(seed)
    taxonomy = _taxonomy()
    labels = taxonomy.labels()
    themes = list(taxonomy.slugs("theme"))
    writer = _Writer(rng)
    country_people = {c[0]: (c[3], c[4]) for c in COUNTRIES}
    organisations = _organisations(rng, max(1, n_participants))
    drafts: list[_Draft] = []
    used_orgs: list[Organisation] = []
    for org in organisations:
        if len(drafts) >= n_participants:
            break
        used_orgs.append(org)
        for _ in range(min(rng.choice((1, 1, 2, 2, 3)), n_participants - len(drafts))):
            first_names, last_names = country_people[org.country]
            interests = rng.sample(themes, rng.choice((1, 2))) + rng.sample(list(org.sectors), 1)
            drafts.append(
                _Draft(
                    participant_id=f"p{len(drafts):05d}",
                    organisation=org,
                    first_name=rng.choice(first_names),
                    last_name=rng.choice(last_names),
                    role=rng.choice(ROLES[org.organisation_type]),
                    interests=interests,
                    sectors=list(org.sectors),
                    items=[],
                )
            )
    for draft in drafts:
        _add_background_items(draft, writer, rng, labels)
    planted = _plant_pairs(drafts, writer, rng, planted_share, mutual_share)
    participants = []
    for draft in drafts:
        org = draft.organisation
        rng.shuffle(draft.items)
        profile = ParticipantProfile(
            participant_id=draft.participant_id,
            organisation_id=org.organisation_id,
            organisation_type=org.organisation_type,
            country=org.country,
            region=org.region,
            interests=tuple(dict.fromkeys(draft.interests)),
            sectors=tuple(dict.fromkeys(draft.sectors)),
            description=_description(draft, labels, rng),
            opportunities=tuple(draft.items),
        )
        email_name = f"{draft.first_name}.{draft.last_name}".lower().replace(" ", "")
        participants.append(
            Participant(
                participant_id=draft.participant_id,
                first_name=draft.first_name,
                last_name=draft.last_name,
                role=draft.role,
                email=f"{email_name}@{org.website.removeprefix('https://www.')}",
                organisation_id=org.organisation_id,
                profile=profile,
            )
        )
    return Population(tuple(used_orgs), tuple(participants), taxonomy, tuple(planted), seed)


def _add_background_items(
    draft: _Draft, writer: _Writer, rng: random.Random, labels: dict[str, str]
) -> None:
    kind = draft.organisation.organisation_type

    def random_context(region: str) -> tuple[int, int, str, int]:
        return (
            rng.randrange(len(APPLICATIONS)),
            rng.randrange(len(DETAILS)),
            region,
            rng.choice(QUANTITIES),
        )

    if kind is OrganisationType.INVESTOR:
        for sector in draft.sectors[:2]:
            draft.items.append(writer.investment(sector, labels[sector]))
        return
    offers = rng.choice((0, 1, 1, 2)) if kind is not OrganisationType.PUBLIC_AUTHORITY else 0
    requests = rng.choice((0, 1, 1, 2))
    for _ in range(offers):
        draft.items.append(
            writer.offer(writer.capability_for(draft.sectors), *random_context(rng.choice(REGIONS)))
        )
    for _ in range(requests):
        draft.items.append(
            writer.request(
                writer.capability_for(draft.sectors), *random_context(draft.organisation.region)
            )
        )
    if kind is OrganisationType.SME and rng.random() < 0.15:
        draft.items.append(writer.funding_request(writer.capability_for(draft.sectors)))
    if (
        kind
        in (
            OrganisationType.CLUSTER_ORGANISATION,
            OrganisationType.RESEARCH,
            OrganisationType.UNIVERSITY,
        )
        and rng.random() < 0.3
    ):
        draft.items.append(
            writer.cooperation(writer.capability_for(draft.sectors), draft.organisation.region)
        )


def _plant_pairs(
    drafts: list[_Draft],
    writer: _Writer,
    rng: random.Random,
    planted_share: float,
    mutual_share: float,
) -> list[PlantedPair]:
    # Investors and public authorities neither sell nor buy capabilities.
    eligible = [
        d
        for d in drafts
        if d.organisation.organisation_type
        not in (OrganisationType.INVESTOR, OrganisationType.PUBLIC_AUTHORITY)
    ]
    rng.shuffle(eligible)
    wanted = int(len(drafts) * planted_share) // 2
    planted: list[PlantedPair] = []
    pool = list(eligible)
    while len(planted) < wanted and len(pool) >= 2:
        requester = pool.pop()
        partner = next(
            (
                i
                for i in range(len(pool) - 1, -1, -1)
                if pool[i].organisation.organisation_id != requester.organisation.organisation_id
            ),
            None,
        )
        if partner is None:
            break
        offerer = pool.pop(partner)
        capability = _plant(requester, offerer, writer, rng)
        is_mutual = rng.random() < mutual_share
        if is_mutual:
            _plant(offerer, requester, writer, rng)
        planted.append(
            PlantedPair(
                requester.participant_id,
                offerer.participant_id,
                CAPABILITIES[capability][0],
                is_mutual,
            )
        )
    return planted


def _plant(requester: _Draft, offerer: _Draft, writer: _Writer, rng: random.Random) -> int:
    capability = writer.capability_for(requester.sectors)
    application, detail = rng.randrange(len(APPLICATIONS)), rng.randrange(len(DETAILS))
    # The answer echoes the request's particulars: where, what for, how much.
    region, quantity = requester.organisation.region, rng.choice(QUANTITIES)
    requester.items.append(writer.request(capability, application, detail, region, quantity))
    offerer.items.append(writer.offer(capability, application, detail, region, quantity))
    # Whoever offers a capability works in its sector.
    sector = CAPABILITIES[capability][1]
    if sector not in offerer.sectors:
        offerer.sectors.append(sector)
    return capability
