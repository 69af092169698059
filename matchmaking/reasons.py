"""Why a candidate is recommended: reasons in words and in structured fields.

Reasons are computed only for pairs already selected (top-k or auto-matched), so the
item-by-item comparison that would be too costly for every pair stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matchmaking.profiles import Opportunity
from matchmaking.scoring import ScoreModel


class ReasonKind(StrEnum):
    OFFER_MATCHES_REQUEST = "offer_matches_request"
    REQUEST_MATCHES_OFFER = "request_matches_offer"
    INVESTMENT_MATCHES_FUNDING = "investment_matches_funding"
    FUNDING_MATCHES_INVESTMENT = "funding_matches_investment"
    COOPERATION_MATCH = "cooperation_match"
    SHARED_SECTORS = "shared_sectors"
    SHARED_INTERESTS = "shared_interests"
    SIMILAR_PROFILE = "similar_profile"


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
    """Thresholds below which a resemblance is too weak to be shown as a reason."""

    item_threshold: float = 0.12
    description_threshold: float = 0.12
    max_items_per_kind: int = 2
    max_terms: int = 3


# (reason kind, candidate's channel, viewer's channel, sentence); sentences read from the
# viewer's side so the participant sees "Offers X, which you request".
_ITEM_REASONS: tuple[tuple[ReasonKind, str, str, str], ...] = (
    (ReasonKind.OFFER_MATCHES_REQUEST, "offer", "request", "Offers {their}, which you request"),
    (ReasonKind.REQUEST_MATCHES_OFFER, "request", "offer", "Requests {their}, which you offer"),
    (
        ReasonKind.INVESTMENT_MATCHES_FUNDING,
        "investment",
        "funding",
        "Offers {their}, matching your funding request ({your})",
    ),
    (
        ReasonKind.FUNDING_MATCHES_INVESTMENT,
        "funding",
        "investment",
        "Asks for {their}, which fits your investment focus",
    ),
    (
        ReasonKind.COOPERATION_MATCH,
        "cooperation",
        "cooperation",
        "Looks for cooperation on {their}, as you do ({your})",
    ),
)


def _phrase(title: str) -> str:
    """A title as part of a sentence: lower-case first letter unless it starts an acronym."""
    title = title.strip().rstrip(".")
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def _label(tag: str, labels: Mapping[str, str] | None) -> str:
    if labels and tag in labels:
        return labels[tag]
    return tag.replace("-", " ").replace("_", " ")


def _shared(ordered: Sequence[str], other: Sequence[str]) -> tuple[str, ...]:
    others = set(other)
    return tuple(t for t in dict.fromkeys(ordered) if t in others)


def explain_pairs(
    model: ScoreModel,
    pairs: Sequence[tuple[int, int]],
    labels: Mapping[str, str] | None = None,
    settings: ReasonSettings | None = None,
) -> list[tuple[Reason, ...]]:
    """Reasons for each (viewer row, candidate row) pair, strongest first."""
    settings = settings or ReasonSettings()
    found: list[list[Reason]] = [[] for _ in pairs]
    for kind, their_channel, your_channel, sentence in _ITEM_REASONS:
        theirs, yours = model.channels[their_channel], model.channels[your_channel]
        pair_no: list[int] = []
        their_idx: list[int] = []
        your_idx: list[int] = []
        for number, (viewer, candidate) in enumerate(pairs):
            their_range = theirs.range_of(candidate)
            your_range = yours.range_of(viewer)
            for t in their_range:
                for y in your_range:
                    pair_no.append(number)
                    their_idx.append(t)
                    your_idx.append(y)
        if not pair_no:
            continue
        # Row-wise dot products of the item features, one sparse operation for all pairs.
        sims = np.asarray(
            theirs.matrix[their_idx].multiply(yours.matrix[your_idx]).sum(axis=1)
        ).ravel()
        by_pair: dict[int, list[tuple[float, int, int]]] = {}
        for number, sim, t, y in zip(pair_no, sims.tolist(), their_idx, your_idx, strict=True):
            if sim >= settings.item_threshold:
                by_pair.setdefault(number, []).append((sim, t, y))
        for number, matches in by_pair.items():
            matches.sort(key=lambda m: -m[0])
            used: set[int] = set()
            shown = 0
            for sim, t, y in matches:
                if t in used:
                    continue
                used.add(t)
                their_item, your_item = theirs.items[t], yours.items[y]
                found[number].append(
                    Reason(
                        kind=kind,
                        text=sentence.format(
                            their=_phrase(their_item.title), your=_phrase(your_item.title)
                        ),
                        strength=float(sim),
                        their_item=their_item,
                        your_item=your_item,
                        tags=_shared(their_item.tags, your_item.tags),
                    )
                )
                shown += 1
                if shown >= settings.max_items_per_kind:
                    break
    _add_tag_reasons(model, pairs, labels, found)
    _add_description_reasons(model, pairs, settings, found)
    return [tuple(reasons) for reasons in found]


def _add_tag_reasons(
    model: ScoreModel,
    pairs: Sequence[tuple[int, int]],
    labels: Mapping[str, str] | None,
    found: list[list[Reason]],
) -> None:
    for number, (viewer, candidate) in enumerate(pairs):
        you, them = model.profiles[viewer], model.profiles[candidate]
        sectors = _shared(them.sectors, you.sectors)
        if sectors:
            names = ", ".join(_label(t, labels) for t in sectors)
            found[number].append(
                Reason(
                    kind=ReasonKind.SHARED_SECTORS,
                    text=f"Works in {names}, like you",
                    strength=len(sectors) / max(len(them.sectors), len(you.sectors)),
                    tags=sectors,
                )
            )
        interests = _shared(them.interests, you.interests)
        if interests:
            names = ", ".join(_label(t, labels) for t in interests)
            found[number].append(
                Reason(
                    kind=ReasonKind.SHARED_INTERESTS,
                    text=f"Shares your interest in {names}",
                    strength=len(interests) / max(len(them.interests), len(you.interests)),
                    tags=interests,
                )
            )


def _add_description_reasons(
    model: ScoreModel,
    pairs: Sequence[tuple[int, int]],
    settings: ReasonSettings,
    found: list[list[Reason]],
) -> None:
    if model.description_vectorizer is None or not pairs:
        return
    viewers = [v for v, _ in pairs]
    candidates = [c for _, c in pairs]
    matrix = model.description_matrix
    products = matrix[viewers].multiply(matrix[candidates]).tocsr()
    similarity = np.asarray(products.sum(axis=1)).ravel()
    vocabulary = model.description_vectorizer.get_feature_names_out()
    for number in np.flatnonzero(similarity >= settings.description_threshold).tolist():
        lo, hi = products.indptr[number], products.indptr[number + 1]
        order = np.argsort(-products.data[lo:hi])
        terms: list[str] = []
        for column in products.indices[lo:hi][order]:
            term = str(vocabulary[column])
            # "hydrogen" next to "green hydrogen" says the same thing twice.
            if any(term in kept or kept in term for kept in terms):
                continue
            terms.append(term)
            if len(terms) >= settings.max_terms:
                break
        found[number].append(
            Reason(
                kind=ReasonKind.SIMILAR_PROFILE,
                text="Similar profile: both describe " + ", ".join(terms),
                strength=float(similarity[number]),
                terms=tuple(terms),
            )
        )
