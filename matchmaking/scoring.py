"""Pair scores from sparse features, computed block by block without a loop over pairs.

Every participant becomes rows of sparse matrices (TF-IDF of their items and description,
incidence of their tags). A block of rows is scored against everybody with a handful of
sparse products, so memory stays bounded by ``block_rows * n`` whatever the event size.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matchmaking.errors import InvalidRulesError
from matchmaking.profiles import (
    Opportunity,
    OpportunityKind,
    ParticipantProfile,
    index_profiles,
)
from matchmaking.rules import BoolArray, MatchingRules, RuleMask, check_known

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

FUNDING_TAGS = frozenset({"funding", "investment", "finance", "venture-capital", "financing"})
_FUNDING_WORDS = re.compile(
    r"\b(funding|investors?|investment|venture capital|financing|seed round|equity)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScoringWeights:
    """Weights of the score components; every component lies in [0, 1].

    score = complementarity * (they_offer_what_you_request + you_offer_what_they_request)
          + cooperation * best cooperation/partner-search match
          + interests * cosine of interest tags
          + sectors * cosine of sector/technology tags
          + description * TF-IDF cosine of the descriptions

    Complementarity dominates by default because a concrete offer answering a concrete
    request is what makes a one-to-one meeting worth twenty minutes; shared interests and
    similar descriptions break ties between otherwise equal candidates.
    ``item_text_share`` splits an item match between wording (TF-IDF) and tags.
    ``item_floor``: an item similarity below it counts as zero and the rest is rescaled to
    [0, 1], because two items sharing only a sector word or a tag are not complementary
    (tuned on the synthetic population, see docs/benchmarks/matching.md).
    ``mutual_threshold``: both directions of complementarity (or a cooperation match) at
    least this high make a pair "mutual interest". ``min_score``: weaker pairs are not
    recommended at all.
    """

    complementarity: float = 1.0
    cooperation: float = 0.8
    interests: float = 0.1
    sectors: float = 0.1
    description: float = 0.1
    item_text_share: float = 0.85
    item_floor: float = 0.3
    mutual_threshold: float = 0.4
    min_score: float = 0.05

    def __post_init__(self) -> None:
        for name in ("complementarity", "cooperation", "interests", "sectors", "description"):
            if getattr(self, name) < 0:
                raise InvalidRulesError(f"weight {name} must not be negative")
        if not 0.0 <= self.item_text_share <= 1.0:
            raise InvalidRulesError("item_text_share must lie in [0, 1]")
        if not 0.0 <= self.item_floor < 1.0:
            raise InvalidRulesError("item_floor must lie in [0, 1)")


def is_funding_request(item: Opportunity) -> bool:
    """A request for money rather than for a product, service or partner."""
    if item.kind is not OpportunityKind.REQUEST:
        return False
    return bool(FUNDING_TAGS.intersection(item.tags)) or bool(_FUNDING_WORDS.search(item.text))


@dataclass(frozen=True)
class Channel:
    """Items of one kind, sorted by owner so the items of a row block are contiguous."""

    items: tuple[Opportunity, ...]
    owner: IntArray
    ptr: IntArray
    matrix: sparse.csr_matrix
    owner_starts: IntArray
    owners: IntArray

    def range_of(self, row: int) -> range:
        return range(int(self.ptr[row]), int(self.ptr[row + 1]))


def _l2_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    if matrix.shape[0] == 0:
        return sparse.csr_matrix(matrix, dtype=np.float32)
    return normalize(matrix, norm="l2", copy=False)


def _binary_rows(tag_lists: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """L2-normalised tag incidence, so a product of two rows is the cosine of the tag sets."""
    vocabulary: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for tags in tag_lists:
        columns = sorted({vocabulary.setdefault(t, len(vocabulary)) for t in tags})
        indices.extend(columns)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(tag_lists), max(1, len(vocabulary))),
    )
    return _l2_rows(matrix)


def _tfidf(texts: Sequence[str]) -> tuple[sparse.csr_matrix, TfidfVectorizer | None]:
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, ngram_range=(1, 1), dtype=np.float32
    )
    if not any(t.strip() for t in texts):
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32), None
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:
        # Only stop words: nothing to compare, which is a zero similarity, not an error.
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32), None
    return sparse.csr_matrix(matrix, dtype=np.float32), vectorizer


@dataclass(frozen=True)
class ScoreBlock:
    """Scores of rows ``start:stop`` against every participant, with their components."""

    start: int
    stop: int
    allowed: BoolArray
    score: FloatArray
    mutual: BoolArray
    they_offer: FloatArray
    you_offer: FloatArray
    cooperation: FloatArray
    interests: FloatArray
    sectors: FloatArray
    description: FloatArray


class ScoreModel:
    """Sparse features of a population plus the organiser's rules; scores any block of rows."""

    def __init__(
        self,
        profiles: Sequence[ParticipantProfile],
        rules: MatchingRules | None = None,
        weights: ScoringWeights | None = None,
    ) -> None:
        self.profiles = tuple(profiles)
        self.rules = rules or MatchingRules()
        self.weights = weights or ScoringWeights()
        self.index = index_profiles(self.profiles)
        self.size = len(self.profiles)
        self.mask = RuleMask(self.profiles, self.rules, self.index)
        self._build_items()
        self.interest_matrix = _binary_rows([p.interests for p in self.profiles])
        self.sector_matrix = _binary_rows([p.sectors for p in self.profiles])
        self.description_matrix, self.description_vectorizer = _tfidf(
            [p.description for p in self.profiles]
        )
        self.description_matrix = _l2_rows(self.description_matrix)

    def _build_items(self) -> None:
        kinds: dict[str, list[tuple[int, Opportunity]]] = {
            "offer": [],
            "request": [],
            "investment": [],
            "funding": [],
            "cooperation": [],
        }
        for row, profile in enumerate(self.profiles):
            for item in profile.opportunities:
                if item.kind is OpportunityKind.OFFER:
                    kinds["offer"].append((row, item))
                elif item.kind is OpportunityKind.REQUEST:
                    kinds["request"].append((row, item))
                    if is_funding_request(item):
                        kinds["funding"].append((row, item))
                elif item.kind is OpportunityKind.INVESTMENT:
                    kinds["investment"].append((row, item))
                else:
                    kinds["cooperation"].append((row, item))
        # One vocabulary for all items so an offer and a request are comparable.
        everything = [item for entries in kinds.values() for _, item in entries]
        text_all, _ = _tfidf([item.text for item in everything])
        text_all = _l2_rows(text_all)
        tags_all = _binary_rows([item.tags for item in everything])
        share = self.weights.item_text_share
        # Scaled blocks side by side: a dot product is share*text cosine + (1-share)*tag cosine.
        features = sparse.hstack(
            [text_all * math.sqrt(share), tags_all * math.sqrt(1.0 - share)], format="csr"
        ).astype(np.float32)
        self.channels: dict[str, Channel] = {}
        offset = 0
        for name, entries in kinds.items():
            count = len(entries)
            owner = np.array([row for row, _ in entries], dtype=np.int64)
            matrix = features[offset : offset + count]
            offset += count
            order = np.argsort(owner, kind="stable")
            owner = owner[order]
            ptr = np.searchsorted(owner, np.arange(self.size + 1)).astype(np.int64)
            owners, starts = np.unique(owner, return_index=True)
            self.channels[name] = Channel(
                items=tuple(entries[i][1] for i in order),
                owner=owner,
                ptr=ptr,
                matrix=sparse.csr_matrix(matrix[order]),
                owner_starts=starts.astype(np.int64),
                owners=owners.astype(np.int64),
            )

    def row_of(self, participant_id: str) -> int:
        return check_known(self.index, participant_id)

    def _best_item_match(self, source: str, target: str, start: int, stop: int) -> FloatArray:
        """out[i, j]: best similarity of a ``source`` item of row i to a ``target`` item of j."""
        out = np.zeros((stop - start, self.size), dtype=np.float32)
        src, dst = self.channels[source], self.channels[target]
        lo, hi = int(src.ptr[start]), int(src.ptr[stop])
        if lo == hi or len(dst.owners) == 0:
            return out
        sims = (src.matrix[lo:hi] @ dst.matrix.T).toarray()
        per_target = np.maximum.reduceat(sims, dst.owner_starts, axis=1)
        block_owners, first = np.unique(src.owner[lo:hi], return_index=True)
        per_pair = np.maximum.reduceat(per_target, first, axis=0)
        floor = self.weights.item_floor
        # Sharing a sector word is not complementarity: rescale so only real overlap counts.
        out[np.ix_(block_owners - start, dst.owners)] = np.clip(
            (per_pair - floor) / (1.0 - floor), 0.0, None
        )
        return out

    def block_rows(self) -> int:
        """Rows per block so one block of dense float32 components stays around 100 MB."""
        return max(1, min(self.size, 2_500_000 // max(1, self.size)))

    def score_block(self, start: int, stop: int) -> ScoreBlock:
        w = self.weights
        you_offer = np.maximum(
            self._best_item_match("offer", "request", start, stop),
            self._best_item_match("investment", "funding", start, stop),
        )
        they_offer = np.maximum(
            self._best_item_match("request", "offer", start, stop),
            self._best_item_match("funding", "investment", start, stop),
        )
        cooperation = self._best_item_match("cooperation", "cooperation", start, stop)
        interests = (self.interest_matrix[start:stop] @ self.interest_matrix.T).toarray()
        sectors = (self.sector_matrix[start:stop] @ self.sector_matrix.T).toarray()
        description = (self.description_matrix[start:stop] @ self.description_matrix.T).toarray()
        score = (
            w.complementarity * (you_offer + they_offer)
            + w.cooperation * cooperation
            + w.interests * interests
            + w.sectors * sectors
            + w.description * description
        ).astype(np.float32)
        mutual = ((you_offer >= w.mutual_threshold) & (they_offer >= w.mutual_threshold)) | (
            cooperation >= w.mutual_threshold
        )
        return ScoreBlock(
            start=start,
            stop=stop,
            allowed=self.mask.block(start, stop),
            score=score,
            mutual=mutual,
            they_offer=they_offer.astype(np.float32),
            you_offer=you_offer.astype(np.float32),
            cooperation=cooperation.astype(np.float32),
            interests=interests.astype(np.float32),
            sectors=sectors.astype(np.float32),
            description=description.astype(np.float32),
        )

    def count_allowed_pairs(self) -> int:
        """Unordered pairs the rules allow (before any score threshold)."""
        total = 0
        step = self.block_rows()
        for start in range(0, self.size, step):
            total += int(self.mask.block(start, min(self.size, start + step)).sum())
        return total // 2
