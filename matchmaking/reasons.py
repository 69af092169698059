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
import numpy.typing as npt
from scipy import sparse

from matchmaking.profiles import Opportunity
from matchmaking.scoring import DIRECTIONS, ScoreModel

COMPONENTS = (
    "they_offer",
    "you_offer",
    "cooperation",
    "interests",
    "sectors",
    "description",
    "feedback",
)


class ReasonKind(StrEnum):
    OFFER_MATCHES_REQUEST = "offer_matches_request"
    REQUEST_MATCHES_OFFER = "request_matches_offer"
    INVESTMENT_MATCHES_FUNDING = "investment_matches_funding"
    FUNDING_MATCHES_INVESTMENT = "funding_matches_investment"
    COOPERATION_MATCH = "cooperation_match"
    SHARED_SECTORS = "shared_sectors"
    SHARED_INTERESTS = "shared_interests"
    SIMILAR_PROFILE = "similar_profile"
    LIKE_ACCEPTED = "like_accepted"


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
    ReasonKind.LIKE_ACCEPTED: "feedback",
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
    """How much a reason quotes, and how many reasons a recommendation shows (the ones
    that contribute most to its score)."""

    max_terms: int = 3
    max_profile_chars: int = 80
    max_reasons: int = 4


# (viewer's channel, candidate's channel) -> (kind, sentence). Sentences read from the
# viewer's side so the participant sees "Offers X, which you request (Y)".
_ITEM_REASONS: dict[tuple[str, str], tuple[ReasonKind, str]] = {
    ("request", "offer"): (
        ReasonKind.OFFER_MATCHES_REQUEST,
        "Offers {their}, which you request ({your})",
    ),
    ("funding", "investment"): (
        ReasonKind.INVESTMENT_MATCHES_FUNDING,
        "Offers {their}, matching your funding request ({your})",
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


@dataclass(frozen=True)
class _Evidence:
    """What carries a component for one pair: your item, and their item or their profile."""

    source: str
    target: str  # a channel name, or "profile"
    your_index: int
    their_index: int  # item index in the target channel, or the candidate's row


def _row_dots(
    left: sparse.csr_matrix, right: sparse.csr_matrix, a: list[int], b: list[int]
) -> npt.NDArray[np.float32]:
    if not a:
        return np.zeros(0, dtype=np.float32)
    return np.asarray(left[a].multiply(right[b]).sum(axis=1), dtype=np.float32).ravel()


def _dense_dots(
    left: npt.NDArray[np.float32], right: npt.NDArray[np.float32], a: list[int], b: list[int]
) -> npt.NDArray[np.float32]:
    if not a or left.shape[1] != right.shape[1]:
        return np.zeros(len(a), dtype=np.float32)
    dots: npt.NDArray[np.float32] = np.einsum("ij,ij->i", left[a], right[b])
    return np.maximum(dots, 0.0).astype(np.float32)


def _best_evidence(
    model: ScoreModel, component: str, pairs: Sequence[tuple[int, int]]
) -> list[_Evidence | None]:
    """For each (viewer, candidate) pair, the two texts that resemble each other most.

    Every item pair (and, for what the candidate offers, the viewer's request against the
    candidate's profile) is compared in one vectorised pass per channel pair.
    """
    best: list[tuple[float, _Evidence] | None] = [None for _ in pairs]
    has_vectors = model.text.embeddings is not None

    def consider(
        numbers: list[int], values: npt.NDArray[np.float32], found: list[_Evidence], bar: float
    ) -> None:
        for number, value, evidence in zip(numbers, values.tolist(), found, strict=True):
            current = best[number]
            if current is None or value > current[0] * bar:
                best[number] = (value, evidence)

    for source, target in DIRECTIONS[component]:
        yours, theirs = model.channels[source], model.channels[target]
        numbers: list[int] = []
        found: list[_Evidence] = []
        for number, (viewer, candidate) in enumerate(pairs):
            for y in yours.range_of(viewer):
                for t in theirs.range_of(candidate):
                    numbers.append(number)
                    found.append(_Evidence(source, target, y, t))
        a = [e.your_index for e in found]
        b = [e.their_index for e in found]
        values = _row_dots(yours.lexical, theirs.lexical, a, b)
        if has_vectors:
            values = values + _dense_dots(yours.semantic, theirs.semantic, a, b)
        consider(numbers, values, found, 1.0)
    if component == "they_offer":
        yours = model.channels["request"]
        numbers, found = [], []
        for number, (viewer, candidate) in enumerate(pairs):
            if not model.profiles[candidate].description.strip():
                continue
            for y in yours.range_of(viewer):
                numbers.append(number)
                found.append(_Evidence("request", "profile", y, candidate))
        a = [e.your_index for e in found]
        b = [e.their_index for e in found]
        values = _row_dots(yours.lexical, model.description_lexical, a, b)
        if has_vectors:
            values = values + _dense_dots(yours.semantic, model.description_semantic, a, b)
        # A profile is longer than an item and resembles more things: it must do better.
        consider(numbers, values, found, 1.25)
    return [None if entry is None else entry[1] for entry in best]


def _item_reason(
    model: ScoreModel,
    component: str,
    value: float,
    evidence: _Evidence,
    settings: ReasonSettings,
) -> Reason:
    your_channel = model.channels[evidence.source]
    your_item = your_channel.items[evidence.your_index]
    weight = (
        model.weights.cooperation if component == "cooperation" else model.weights.complementarity
    )
    if evidence.target == "profile":
        profile = model.profiles[evidence.their_index].description
        terms = model.shared_terms(
            your_channel.lexical,
            evidence.your_index,
            model.description_lexical,
            evidence.their_index,
            settings.max_terms,
        )
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
    their_channel = model.channels[evidence.target]
    their_item = their_channel.items[evidence.their_index]
    kind, sentence = _ITEM_REASONS[(evidence.source, evidence.target)]
    terms = model.shared_terms(
        your_channel.lexical,
        evidence.your_index,
        their_channel.lexical,
        evidence.their_index,
        settings.max_terms,
    )
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
    evidence: dict[str, list[_Evidence | None]] = {}
    for component in ("they_offer", "you_offer", "cooperation"):
        scored = [n for n, values in enumerate(parts) if values.get(component, 0.0) > 0]
        chosen = _best_evidence(model, component, [pairs[n] for n in scored])
        column: list[_Evidence | None] = [None for _ in pairs]
        for number, item in zip(scored, chosen, strict=True):
            column[number] = item
        evidence[component] = column
    for number, ((viewer, candidate), values) in enumerate(zip(pairs, parts, strict=True)):
        found: list[Reason] = []
        for component in ("they_offer", "you_offer", "cooperation"):
            carrier = evidence[component][number]
            if carrier is not None:
                value = float(values[component])
                found.append(_item_reason(model, component, value, carrier, settings))
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
        strength = w.description * float(values.get("description", 0.0))
        ahead = sum(r.strength >= strength for r in found)
        # Quoting the descriptions costs most; skip it when the reason would not be shown.
        if strength > 0 and ahead < settings.max_reasons:
            terms = model.shared_terms(
                model.description_lexical,
                viewer,
                model.description_lexical,
                candidate,
                settings.max_terms,
            )
            if terms:
                found.append(
                    Reason(
                        kind=ReasonKind.SIMILAR_PROFILE,
                        text="Similar profile: both describe " + ", ".join(terms),
                        strength=strength,
                        terms=terms,
                    )
                )
        if values.get("feedback", 0.0) > 0:
            found.append(
                Reason(
                    kind=ReasonKind.LIKE_ACCEPTED,
                    text="People at this event with needs like yours accepted meetings "
                    "with participants offering what this one offers",
                    strength=w.feedback * float(values["feedback"]),
                )
            )
        found.sort(key=lambda r: -r.strength)
        result.append(tuple(found[: settings.max_reasons]))
    return result
