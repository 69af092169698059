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
    if not ordered or not other:
        return ()
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
    left: sparse.csr_matrix,
    right: sparse.csr_matrix,
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
) -> npt.NDArray[np.float32]:
    if not len(a):
        return np.zeros(0, dtype=np.float32)
    return np.asarray(left[a].multiply(right[b]).sum(axis=1), dtype=np.float32).ravel()


def _dense_dots(
    left: npt.NDArray[np.float32],
    right: npt.NDArray[np.float32],
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
) -> npt.NDArray[np.float32]:
    if not len(a) or left.shape[1] != right.shape[1]:
        return np.zeros(len(a), dtype=np.float32)
    dots: npt.NDArray[np.float32] = np.einsum("ij,ij->i", left[a], right[b])
    return np.maximum(dots, 0.0).astype(np.float32)


def _combinations(
    your_ptr: npt.NDArray[np.int64],
    their_ptr: npt.NDArray[np.int64],
    yours: npt.NDArray[np.int64],
    theirs: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every (pair number n, your index, their index) of ``yours[n]``'s entries against
    ``theirs[n]``'s (entries of row r: ``ptr[r]:ptr[r + 1]``), yours outer, theirs inner.
    A profile is one entry per row: ``their_ptr = arange(size + 1)``."""
    mine = your_ptr[yours + 1] - your_ptr[yours]
    other = their_ptr[theirs + 1] - their_ptr[theirs]
    counts = mine * other
    total = int(counts.sum())
    numbers = np.repeat(np.arange(len(yours), dtype=np.int64), counts)
    if not total:
        empty = np.zeros(0, dtype=np.int64)
        return numbers, empty, empty
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    width = other[numbers]
    your_index = your_ptr[yours][numbers] + offset // width
    their_index = their_ptr[theirs][numbers] + offset % width
    return numbers, your_index, their_index


def _first_best(
    numbers: npt.NDArray[np.int64], values: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For each pair number present, the position of its highest value (first on ties)."""
    if not len(numbers):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = np.lexsort((np.arange(len(numbers)), -values, numbers))
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = numbers[order][1:] != numbers[order][:-1]
    best = order[first]
    return numbers[best], best


def _best_evidence(
    model: ScoreModel, component: str, pairs: Sequence[tuple[int, int]]
) -> list[_Evidence | None]:
    """For each (viewer, candidate) pair, the two texts that resemble each other most.

    Every item pair (and, for what the candidate offers, the viewer's request against the
    candidate's profile) is compared in one vectorised pass per channel pair; no Python
    loop runs over item pairs.
    """
    count = len(pairs)
    best_value = np.full(count, -np.inf, dtype=np.float64)
    best: list[_Evidence | None] = [None for _ in pairs]
    if not count:
        return best
    has_vectors = model.text.embeddings is not None
    viewers = np.fromiter((v for v, _ in pairs), dtype=np.int64, count=count)
    candidates = np.fromiter((c for _, c in pairs), dtype=np.int64, count=count)

    def keep(
        source: str,
        target: str,
        numbers: npt.NDArray[np.int64],
        a: npt.NDArray[np.int64],
        b: npt.NDArray[np.int64],
        values: npt.NDArray[np.float32],
        bar: float,
    ) -> None:
        winners, positions = _first_best(numbers, values)
        for number, position in zip(winners.tolist(), positions.tolist(), strict=True):
            value = float(values[position])
            if best[number] is None or value > best_value[number] * bar:
                best_value[number] = value
                best[number] = _Evidence(source, target, int(a[position]), int(b[position]))

    for source, target in DIRECTIONS[component]:
        yours, theirs = model.channels[source], model.channels[target]
        numbers, a, b = _combinations(yours.ptr, theirs.ptr, viewers, candidates)
        if not len(numbers):
            continue
        values = _row_dots(yours.lexical, theirs.lexical, a, b)
        if has_vectors:
            values = values + _dense_dots(yours.semantic, theirs.semantic, a, b)
        keep(source, target, numbers, a, b, values, 1.0)
    if component == "they_offer":
        yours = model.channels["request"]
        described = model.has_description[candidates]
        rows = np.arange(model.size + 1, dtype=np.int64)
        numbers, a, b = _combinations(yours.ptr, rows, viewers, candidates)
        chosen = described[numbers]
        numbers, a, b = numbers[chosen], a[chosen], b[chosen]
        if len(numbers):
            values = _row_dots(yours.lexical, model.description_lexical, a, b)
            if has_vectors:
                values = values + _dense_dots(yours.semantic, model.description_semantic, a, b)
            # A profile is longer than an item and resembles more things: it must do better.
            keep("request", "profile", numbers, a, b, values, 1.25)
    return best


def _item_reason(
    model: ScoreModel,
    component: str,
    value: float,
    evidence: _Evidence,
    settings: ReasonSettings,
    terms: tuple[str, ...],
) -> Reason:
    your_channel = model.channels[evidence.source]
    your_item = your_channel.items[evidence.your_index]
    weight = (
        model.weights.cooperation if component == "cooperation" else model.weights.complementarity
    )
    if evidence.target == "profile":
        profile = model.profiles[evidence.their_index].description
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
    result: list[list[Reason]] = []
    evidence: dict[str, list[_Evidence | None]] = {}
    for component in ("they_offer", "you_offer", "cooperation"):
        scored = [n for n, values in enumerate(parts) if values.get(component, 0.0) > 0]
        chosen = _best_evidence(model, component, [pairs[n] for n in scored])
        column: list[_Evidence | None] = [None for _ in pairs]
        for number, item in zip(scored, chosen, strict=True):
            column[number] = item
        evidence[component] = column
    terms = _evidence_terms(model, evidence, settings.max_terms)
    described: list[tuple[int, float]] = []  # (pair number, strength) of similar profiles
    for number, ((viewer, candidate), values) in enumerate(zip(pairs, parts, strict=True)):
        found: list[Reason] = []
        for component in ("they_offer", "you_offer", "cooperation"):
            carrier = evidence[component][number]
            if carrier is not None:
                value = float(values[component])
                found.append(
                    _item_reason(
                        model, component, value, carrier, settings, terms[component][number]
                    )
                )
        you, them = model.profiles[viewer], model.profiles[candidate]
        # A zero cosine means no shared tag: the tags are only compared when it is positive.
        sectors = _shared(them.sectors, you.sectors) if values.get("sectors", 0.0) > 0 else ()
        if sectors:
            found.append(
                Reason(
                    kind=ReasonKind.SHARED_SECTORS,
                    text=f"Works in {', '.join(_label(t, labels) for t in sectors)}, like you",
                    strength=w.sectors * float(values["sectors"]),
                    tags=sectors,
                )
            )
        # A tag already named as a shared sector is not repeated as a shared interest.
        interests = (
            tuple(t for t in _shared(them.interests, you.interests) if t not in sectors)
            if values.get("interests", 0.0) > 0
            else ()
        )
        if interests:
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
            described.append((number, strength))
        if values.get("feedback", 0.0) > 0:
            found.append(
                Reason(
                    kind=ReasonKind.LIKE_ACCEPTED,
                    text="People at this event with needs like yours accepted meetings "
                    "with participants offering what this one offers",
                    strength=w.feedback * float(values["feedback"]),
                )
            )
        result.append(found)
    shared = model.shared_terms_many(
        model.description_lexical,
        [pairs[number][0] for number, _ in described],
        model.description_lexical,
        [pairs[number][1] for number, _ in described],
        settings.max_terms,
    )
    for (number, strength), words in zip(described, shared, strict=True):
        if words:
            result[number].append(
                Reason(
                    kind=ReasonKind.SIMILAR_PROFILE,
                    text="Similar profile: both describe " + ", ".join(words),
                    strength=strength,
                    terms=words,
                )
            )
    ordered: list[tuple[Reason, ...]] = []
    for found in result:
        found.sort(key=lambda r: -r.strength)
        ordered.append(tuple(found[: settings.max_reasons]))
    return ordered


def _evidence_terms(
    model: ScoreModel, evidence: Mapping[str, Sequence[_Evidence | None]], limit: int
) -> dict[str, list[tuple[str, ...]]]:
    """The words quoted for every carrier of every component, in one batch per pair of
    text matrices."""
    terms: dict[str, list[tuple[str, ...]]] = {
        component: [() for _ in column] for component, column in evidence.items()
    }
    batches: dict[tuple[str, str], list[tuple[str, int, _Evidence]]] = {}
    for component, column in evidence.items():
        for number, carrier in enumerate(column):
            if carrier is not None:
                batches.setdefault((carrier.source, carrier.target), []).append(
                    (component, number, carrier)
                )
    for (source, target), entries in batches.items():
        right = model.description_lexical if target == "profile" else model.channels[target].lexical
        words = model.shared_terms_many(
            model.channels[source].lexical,
            [carrier.your_index for _, _, carrier in entries],
            right,
            [carrier.their_index for _, _, carrier in entries],
            limit,
        )
        for (component, number, _), found in zip(entries, words, strict=True):
            terms[component][number] = found
    return terms
