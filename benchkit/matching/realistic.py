"""The realistic matching set: hand-written needs planted into an event of any size.

The needs live in ``data/realistic/*.yaml``: for each, several ways to ask (requests) and
several ways to answer (offers) written by a person, the two organisations' one-line
descriptions, near-miss decoys (same field, not an answer) and coarse tags. Nothing here
comes from :mod:`benchkit.matching.synthetic`'s templates.

An event of ``n`` participants holds, for every need, ``pairs_per_need`` planted pairs
(one requester, one offerer, each with a wording drawn for them), the need's decoys, and
colleagues from the same organisations; hand-written background items fill the rest. On
the way, profiles are made as sparse as real ones: a third of items keep only their title,
half lose their tags, many people leave interests and sectors empty.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import Stemmer
import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from matchmaking.errors import InvalidRulesError
from matchmaking.profiles import Opportunity, OpportunityKind, ParticipantProfile

_EUROPE = ("DE", "FR", "IT", "ES", "PL", "NL", "BE", "AT", "CZ", "SE", "PT", "DK", "FI", "GR")
_ABROAD = ("TW", "CA", "TN", "MA", "JP", "NO", "CH")
_REQUESTER_TYPES = ("sme", "large_company", "public_authority", "cluster_organisation", "other")
_OFFERER_TYPES = ("sme", "sme", "research", "university", "large_company")
# Words that do not make two texts about the same thing ("we need a partner").
_NOT_DISTINCTIVE = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "look need seek want partner partners offer provide our we solution service "
        "company new year supplier suppliers help support"
    ).split()
)


@dataclass(frozen=True)
class Wording:
    title: str
    description: str = ""
    kind: OpportunityKind = OpportunityKind.OFFER

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}"


@dataclass(frozen=True)
class Need:
    need_id: str
    tags: tuple[str, ...]
    requester: str
    offerer: str
    requests: tuple[Wording, ...]
    offers: tuple[Wording, ...]
    decoys: tuple[Wording, ...]


@dataclass(frozen=True)
class Background:
    organisations: tuple[str, ...]
    offers: tuple[Wording, ...]
    requests: tuple[Wording, ...]


@dataclass(frozen=True)
class EvalPair:
    """``offerer_id`` answers ``requester_id``'s request on ``need_id``."""

    requester_id: str
    offerer_id: str
    need_id: str
    shares_keyword: bool
    is_foreign: bool


@dataclass(frozen=True)
class RealisticEvent:
    profiles: tuple[ParticipantProfile, ...]
    pairs: tuple[EvalPair, ...]
    needs: int
    seed: int


def _wording(raw: Any, kind: OpportunityKind) -> Wording:
    if isinstance(raw, dict):
        kind = OpportunityKind(raw.get("kind", kind.value))
        raw = raw["text"]
    title, _, description = str(raw).partition(" | ")
    return Wording(title.strip(), description.strip(), kind)


def _decoy(raw: str) -> Wording:
    kind, _, rest = raw.partition(" | ")
    return _wording(rest, OpportunityKind(kind.strip()))


def _data(name: str) -> Any:
    path = resources.files("benchkit.matching").joinpath(f"data/realistic/{name}")
    return yaml.safe_load(path.read_text("utf-8"))


def load_needs() -> tuple[Need, ...]:
    """Every hand-written need, in file order."""
    folder = resources.files("benchkit.matching").joinpath("data/realistic")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    needs: list[Need] = []
    for name in names:
        if name == "background.yaml":
            continue
        for raw in _data(name):
            needs.append(
                Need(
                    need_id=str(raw["id"]),
                    tags=tuple(raw.get("tags", ())),
                    requester=str(raw.get("requester", "")),
                    offerer=str(raw.get("offerer", "")),
                    requests=tuple(_wording(r, OpportunityKind.REQUEST) for r in raw["requests"]),
                    offers=tuple(_wording(o, OpportunityKind.OFFER) for o in raw["offers"]),
                    decoys=tuple(_decoy(d) for d in raw.get("decoys", ())),
                )
            )
    return tuple(needs)


def load_background() -> Background:
    raw = _data("background.yaml")
    return Background(
        organisations=tuple(str(o) for o in raw["organisations"]),
        offers=tuple(_wording(o, OpportunityKind.OFFER) for o in raw["offers"]),
        requests=tuple(_wording(r, OpportunityKind.REQUEST) for r in raw["requests"]),
    )


_STEMMER = Stemmer.Stemmer("english")


def _content_stems(text: str) -> set[str]:
    words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    return {
        _STEMMER.stemWord(w)
        for w in words
        if w not in ENGLISH_STOP_WORDS and len(w) > 2 and not w.isdigit()
    } - {_STEMMER.stemWord(w) for w in _NOT_DISTINCTIVE}


def shares_keyword(request: Wording, offer: Wording) -> bool:
    """Whether the two wordings share a distinctive word (same stem, stop words aside)."""
    return bool(_content_stems(request.text) & _content_stems(offer.text))


def _is_foreign(wording: Wording) -> bool:
    return any(ord(c) > 0x2E80 for c in wording.text) or any(
        marker in f" {wording.text.lower()} "
        for marker in (" wir ", " für ", " une ", " des ", " para ", " del ", " dla ", "ó", "ł")
    )


def _about(wording: Wording) -> str:
    """A one-line organisation description built from what it offers or asks for."""
    verb = "We work on" if wording.kind is OpportunityKind.OFFER else "We are interested in"
    return f"{verb} {wording.title[:1].lower()}{wording.title[1:]}."


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.profiles: list[ParticipantProfile] = []
        self.organisations = 0

    def organisation(self) -> str:
        self.organisations += 1
        return f"org{self.organisations:05d}"

    def item(self, wording: Wording, tags: Sequence[str], number: int) -> Opportunity:
        rng = self.rng
        # One in three people write only a title; half give no tags, the rest a coarse one.
        description = "" if rng.random() < 0.33 else wording.description
        kept = () if rng.random() < 0.5 or not tags else (rng.choice(list(tags)),)
        return Opportunity(
            wording.kind, wording.title, description, kept, opportunity_id=f"i{number}"
        )

    def person(
        self,
        organisation_id: str,
        organisation_type: str,
        country: str,
        description: str,
        tags: Sequence[str],
        items: Sequence[Wording],
    ) -> str:
        rng = self.rng
        pid = f"p{len(self.profiles):05d}"
        interests = tuple(rng.sample(list(tags), k=min(len(tags), rng.randint(0, 2))))
        sectors = () if rng.random() < 0.4 or not tags else (rng.choice(list(tags)),)
        base = len(self.profiles) * 10
        self.profiles.append(
            ParticipantProfile(
                participant_id=pid,
                organisation_id=organisation_id,
                organisation_type=organisation_type,  # type: ignore[arg-type]
                country=country,
                interests=interests,
                sectors=sectors,
                description=description if rng.random() < 0.75 else "",
                opportunities=tuple(self.item(w, tags, base + n) for n, w in enumerate(items)),
            )
        )
        return pid

    def country(self) -> str:
        return self.rng.choice(_EUROPE if self.rng.random() < 0.8 else _ABROAD)


def build_event(n_participants: int, seed: int = 7, pairs_per_need: int = 2) -> RealisticEvent:
    """An event of exactly ``n_participants`` with the realistic needs planted in it."""
    if pairs_per_need < 1:
        raise InvalidRulesError("pairs_per_need must be at least 1")
    needs = list(load_needs())
    background = load_background()
    builder = _Builder(seed)
    rng = builder.rng
    rng.shuffle(needs)
    # Per need: requesters and offerers, decoys, and about one colleague per pair.
    per_need = [2 * pairs_per_need + len(n.decoys) + pairs_per_need for n in needs]
    while needs and sum(per_need) > n_participants:
        needs.pop()
        per_need.pop()
    if not needs:
        raise InvalidRulesError(f"{n_participants} participants cannot hold one planted need")
    pairs: list[EvalPair] = []
    extra_people: list[tuple[str, str, str, str, tuple[str, ...]]] = []
    for need in needs:
        request_order = rng.sample(range(len(need.requests)), len(need.requests))
        offer_order = rng.sample(range(len(need.offers)), len(need.offers))
        for number in range(pairs_per_need):
            asked = need.requests[request_order[number % len(request_order)]]
            answer = need.offers[offer_order[number % len(offer_order)]]
            requester_org, offerer_org = builder.organisation(), builder.organisation()
            requester_country, offerer_country = builder.country(), builder.country()
            requester_type = rng.choice(_REQUESTER_TYPES)
            offerer_type = (
                "investor" if answer.kind is OpportunityKind.INVESTMENT else None
            ) or rng.choice(_OFFERER_TYPES)
            # People list other things too: a second item from the background, sometimes.
            asked_items = [asked]
            if rng.random() < 0.3:
                asked_items.append(rng.choice(background.offers))
            answer_items = [answer]
            if rng.random() < 0.3:
                answer_items.append(rng.choice(background.requests))
            requester = builder.person(
                requester_org,
                requester_type,
                requester_country,
                need.requester,
                need.tags,
                asked_items,
            )
            offerer = builder.person(
                offerer_org, offerer_type, offerer_country, need.offerer, need.tags, answer_items
            )
            pairs.append(
                EvalPair(
                    requester,
                    offerer,
                    need.need_id,
                    shares_keyword(asked, answer),
                    _is_foreign(asked) or _is_foreign(answer),
                )
            )
            # A colleague from one of the two organisations, with a sparse profile.
            side = rng.random() < 0.5
            extra_people.append(
                (
                    requester_org if side else offerer_org,
                    requester_type if side else offerer_type,
                    requester_country if side else offerer_country,
                    need.requester if side else need.offerer,
                    need.tags,
                )
            )
        for decoy in need.decoys:
            # A look-alike describes its organisation by what it does, as the answer does.
            builder.person(
                builder.organisation(),
                rng.choice(_OFFERER_TYPES),
                builder.country(),
                _about(decoy),
                need.tags,
                [decoy],
            )
    for organisation_id, organisation_type, country, description, tags in extra_people:
        own = [rng.choice(background.offers)] if rng.random() < 0.3 else []
        builder.person(organisation_id, organisation_type, country, description, tags, own)
    all_tags = sorted({t for need in needs for t in need.tags})
    copies = n_participants // 2500
    decoy_copies = [(d, need.tags) for need in needs for d in need.decoys] * copies
    rng.shuffle(decoy_copies)
    while len(builder.profiles) < n_participants:
        organisation_id = builder.organisation()
        organisation_type = rng.choice(_OFFERER_TYPES + _REQUESTER_TYPES)
        country = builder.country()
        description = rng.choice(background.organisations)
        people = min(n_participants - len(builder.profiles), rng.choice((1, 1, 1, 2, 3)))
        for _ in range(people):
            items: list[Wording] = []
            person_tags: tuple[str, ...] = tuple(rng.sample(all_tags, k=rng.randint(0, 2)))
            for _ in range(rng.randint(0, 2)):
                pool = background.offers if rng.random() < 0.6 else background.requests
                items.append(rng.choice(pool))
            if decoy_copies and rng.random() < 0.25:
                # Near misses recur at scale (many companies work in the same fields), but
                # as a few look-alikes per need, not as dozens of identical entries.
                decoy, decoy_tags = decoy_copies.pop()
                items.append(decoy)
                person_tags = decoy_tags
                description = _about(decoy)
            builder.person(
                organisation_id, organisation_type, country, description, person_tags, items
            )
    return RealisticEvent(tuple(builder.profiles), tuple(pairs), len(needs), seed)
