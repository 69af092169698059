"""Why a candidate is recommended: reasons in words and in structured fields.

A reason is shown only for a score component that is positive for the pair, and it quotes
what matched: the two items (or the candidate's profile) that carry the component, and the
words they share after analysis (stems, short forms, synonyms, translations). Sector and
interest reasons never repeat a tag. Reasons are computed only for pairs already selected
(top-k or auto-matched), so the item-by-item comparison stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matchmaking.profiles import Opportunity
from matchmaking.scoring import DIRECTIONS, ScoreModel

COMPONENTS = ("they_offer", "you_offer", "cooperation", "interests", "sectors", "description")


class ReasonKind(StrEnum):
    OFFER_MATCHES_REQUEST = "offer_matches_request"
    REQUEST_MATCHES_OFFER = "request_matches_offer"
    INVESTMENT_MATCHES_FUNDING = "investment_matches_funding"
    FUNDING_MATCHES_INVESTMENT = "funding_matches_investment"
    COOPERATION_MATCH = "cooperation_match"
    SHARED_SECTORS = "shared_sectors"
    SHARED_INTERESTS = "shared_interests"
    SIMILAR_PROFILE = "similar_profile"


# The score component each kind of reason stands for.
BACKING: dict[ReasonKind, str] = {
    ReasonKind.OFFER_MATCHES_REQUEST: "they_offer",
    ReasonKind.INVESTMENT_MATCHES_FUNDING: "they_offer",
    ReasonKind.REQUEST_MATCHES_OFFER: "you_offer",
    ReasonKind.FUNDING_MATCHES_INVESTMENT: "you_offer",
    ReasonKind.COOPERATION_MATCH: "cooperation",
    ReasonKind.SHARED_SECTORS: "sectors",
    ReasonKind.SHARED_INTERESTS: "interests",
    ReasonKind.SIMILAR_PROFILE: "description",
}


@dataclass(frozen=True)
class Reason:
    """One reason, written from the viewer's side: "their" is the candidate, "your" the viewer."""

    kind: ReasonKind
    text: str
    strength: float
    their_item: Opportunity | None = None
    your_item: Opportunity | None = None
    tags: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        def item(o: Opportunity | None) -> dict[str, object] | None:
            if o is None:
                return None
            return {"id": o.opportunity_id, "kind": o.kind.value, "title": o.title}

        return {
            "kind": self.kind.value,
            "text": self.text,
            "strength": round(self.strength, 4),
            "their_item": item(self.their_item),
            "your_item": item(self.your_item),
            "tags": list(self.tags),
            "terms": list(self.terms),
        }


@dataclass(frozen=True)
class ReasonSettings:
    """How much a reason quotes."""

    max_terms: int = 3
    max_profile_chars: int = 80


# (viewer's channel, candidate's channel) -> (kind, sentence). Sentences read from the
# viewer's side so the participant sees "Offers X, which answers your request Y".
_ITEM_REASONS: dict[tuple[str, str], tuple[ReasonKind, str]] = {
    ("request", "offer"): (
        ReasonKind.OFFER_MATCHES_REQUEST,
        "Offers {their}, which answers your request {your}",
    ),
    ("funding", "investment"): (
        ReasonKind.INVESTMENT_MATCHES_FUNDING,
        "Offers {their}, matching your funding request {your}",
    ),
    ("offer", "request"): (
        ReasonKind.REQUEST_MATCHES_OFFER,
        "Requests {their}, which you offer ({your})",
    ),
    ("investment", "funding"): (
        ReasonKind.FUNDING_MATCHES_INVESTMENT,
        "Asks for {their}, which fits your investment focus ({your})",
    ),
    ("cooperation", "cooperation"): (
        ReasonKind.COOPERATION_MATCH,
        "Looks for cooperation on {their}, as you do ({your})",
    ),
}


def _quote(title: str) -> str:
    return "\u201c" + title.strip().rstrip(".") + "\u201d"


def _label(tag: str, labels: Mapping[str, str] | None) -> str:
    if labels and tag in labels:
        return labels[tag]
    return tag.replace("-", " ").replace("_", " ")


def _shared(ordered: Sequence[str], other: Sequence[str]) -> tuple[str, ...]:
    others = set(other)
    return tuple(t for t in dict.fromkeys(ordered) if t in others)


def _with_terms(sentence: str, terms: Sequence[str]) -> str:
    if not terms:
        return sentence
    return f"{sentence}; both mention {', '.join(terms)}"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _components(model: ScoreModel, pairs: Sequence[tuple[int, int]]) -> list[dict[str, float]]:
    """Score components of arbitrary pairs, one scored row per distinct viewer."""
    by_viewer: dict[int, list[int]] = {}
    for number, (viewer, _) in enumerate(pairs):
        by_viewer.setdefault(viewer, []).append(number)
    result: list[dict[str, float]] = [{} for _ in pairs]
    for viewer, numbers in by_viewer.items():
        block = model.score_block(viewer, viewer + 1)
        for number in numbers:
            candidate = pairs[number][1]
            result[number] = {
                name: float(getattr(block, name)[0, candidate]) for name in COMPONENTS
            }
    return result


def _best_evidence(
    model: ScoreModel, component: str, viewer: int, candidate: int
) -> tuple[tuple[str, str], int | None, int | None, float]:
    """The (channels, your item, their item) pair that most resembles each other.

    ``their item`` is None when the candidate's profile text is the best evidence.
    """
    best: tuple[tuple[str, str], int | None, int | None, float] = (("", ""), None, None, -1.0)
    has_vectors = model.text.embeddings is not None
    for source, target in DIRECTIONS[component]:
        yours, theirs = model.channels[source], model.channels[target]
        your_range, their_range = yours.range_of(viewer), theirs.range_of(candidate)
        if not your_range or not their_range:
            continue
        mine = yours.lexical[your_range.start : your_range.stop]
        other = theirs.lexical[their_range.start : their_range.stop]
        similarity = (mine @ other.T).toarray()
        if has_vectors:
            similarity = similarity + np.maximum(
                yours.semantic[your_range.start : your_range.stop]
                @ theirs.semantic[their_range.start : their_range.stop].T,
                0.0,
            )
        y, t = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        value = float(similarity[y, t])
        if value > best[3]:
            best = ((source, target), your_range.start + int(y), their_range.start + int(t), value)
    if component == "they_offer" and model.profiles[candidate].description.strip():
        yours = model.channels["request"]
        your_range = yours.range_of(viewer)
        if your_range:
            similarity = (
                yours.lexical[your_range.start : your_range.stop]
                @ model.description_lexical[candidate].T
            ).toarray()[:, 0]
            if has_vectors:
                similarity = similarity + np.maximum(
                    yours.semantic[your_range.start : your_range.stop]
                    @ model.description_semantic[candidate],
                    0.0,
                )
            # A profile is longer than an item and resembles more things: it must do better.
            row = int(np.argmax(similarity))
            if float(similarity[row]) > best[3] * 1.25:
                best = (
                    ("request", "profile"),
                    your_range.start + row,
                    None,
                    float(similarity[row]),
                )
    return best


def _item_reason(
    model: ScoreModel,
    component: str,
    value: float,
    viewer: int,
    candidate: int,
    settings: ReasonSettings,
) -> Reason | None:
    channels, your_index, their_index, _ = _best_evidence(model, component, viewer, candidate)
    if your_index is None:
        return None
    source, target = channels
    your_item = model.channels[source].items[your_index]
    weight = (
        model.weights.cooperation if component == "cooperation" else (model.weights.complementarity)
    )
    if target == "profile":
        profile = model.profiles[candidate].description
        terms = model.shared_terms(your_item.text, profile, settings.max_terms)
        text = (
            f"Their profile ({_quote(_clip(profile, settings.max_profile_chars))}) "
            f"answers your request {_quote(your_item.title)}"
        )
        return Reason(
            kind=ReasonKind.OFFER_MATCHES_REQUEST,
            text=_with_terms(text, terms),
            strength=weight * value,
            your_item=your_item,
            terms=terms,
        )
    assert their_index is not None
    their_item = model.channels[target].items[their_index]
    kind, sentence = _ITEM_REASONS[(source, target)]
    terms = model.shared_terms(your_item.text, their_item.text, settings.max_terms)
    return Reason(
        kind=kind,
        text=_with_terms(
            sentence.format(their=_quote(their_item.title), your=_quote(your_item.title)), terms
        ),
        strength=weight * value,
        their_item=their_item,
        your_item=your_item,
        tags=_shared(their_item.tags, your_item.tags),
        terms=terms,
    )


def explain_pairs(
    model: ScoreModel,
    pairs: Sequence[tuple[int, int]],
    labels: Mapping[str, str] | None = None,
    settings: ReasonSettings | None = None,
    components: Sequence[Mapping[str, float]] | None = None,
) -> list[tuple[Reason, ...]]:
    """Reasons for each (viewer row, candidate row) pair, strongest contribution first.

    ``components``: the pair's score components when the caller has them (a top-k
    selection); otherwise they are computed, so a reason is always backed by its score.
    """
    settings = settings or ReasonSettings()
    parts = list(components) if components is not None else _components(model, pairs)
    w = model.weights
    result: list[tuple[Reason, ...]] = []
    for (viewer, candidate), values in zip(pairs, parts, strict=True):
        found: list[Reason] = []
        for component in ("they_offer", "you_offer", "cooperation"):
            value = float(values.get(component, 0.0))
            if value > 0:
                reason = _item_reason(model, component, value, viewer, candidate, settings)
                if reason is not None:
                    found.append(reason)
        you, them = model.profiles[viewer], model.profiles[candidate]
        sectors = _shared(them.sectors, you.sectors)
        if sectors and values.get("sectors", 0.0) > 0:
            found.append(
                Reason(
                    kind=ReasonKind.SHARED_SECTORS,
                    text=f"Works in {', '.join(_label(t, labels) for t in sectors)}, like you",
                    strength=w.sectors * float(values["sectors"]),
                    tags=sectors,
                )
            )
        # A tag already named as a shared sector is not repeated as a shared interest.
        interests = tuple(t for t in _shared(them.interests, you.interests) if t not in sectors)
        if interests and values.get("interests", 0.0) > 0:
            found.append(
                Reason(
                    kind=ReasonKind.SHARED_INTERESTS,
                    text="Shares your interest in "
                    + ", ".join(_label(t, labels) for t in interests),
                    strength=w.interests * float(values["interests"]),
                    tags=interests,
                )
            )
        if values.get("description", 0.0) > 0:
            terms = model.shared_terms(you.description, them.description, settings.max_terms)
            if terms:
                found.append(
                    Reason(
                        kind=ReasonKind.SIMILAR_PROFILE,
                        text="Similar profile: both describe " + ", ".join(terms),
                        strength=w.description * float(values["description"]),
                        terms=terms,
                    )
                )
        found.sort(key=lambda r: -r.strength)
        result.append(tuple(found))
    return result
