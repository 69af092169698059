"""Pair scores from text and tags, computed block by block without a loop over pairs.

Every marketplace item (offer, request, investment, funding request, cooperation) and every
profile description is represented twice:

- **lexical**: BM25 weights of its analysed tokens (stems, short forms spelled out, synonym
  groups, translations; see :mod:`matchmaking.text`), L2-normalised;
- **semantic**: the mean of its static word vectors (:mod:`matchmaking.vectors`).

For each direction of complementarity (what the candidate offers against what the viewer
requests, and the reverse) a block of viewers is compared with everybody under each
signal: item against item, and the viewer's items against the candidate's profile text
(an answer written only in a profile still counts). Each signal ranks the candidates of a
viewer; the rankings are fused by reciprocal rank (Cormack et al., 2009), so a paraphrase
that only the vectors see and a rare word that only BM25 sees both bring a candidate up,
and no absolute similarity floor decides what counts. A signal ranks a candidate only
above a small evidence gate, so a viewer whose request resembles nothing gets no
"answer" from the fusion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from matchmaking.errors import InvalidRulesError
from matchmaking.profiles import (
    Opportunity,
    OpportunityKind,
    ParticipantProfile,
    index_profiles,
)
from matchmaking.rules import BoolArray, MatchingRules, RuleMask, check_known
from matchmaking.text import Analyzer
from matchmaking.vectors import StaticEmbeddings, default_embeddings

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

FUNDING_TAGS = frozenset({"funding", "investment", "finance", "venture-capital", "financing"})
_FUNDING_WORDS = re.compile(
    r"\b(funding|investors?|investment|venture capital|financing|seed round|equity)\b",
    re.IGNORECASE,
)
CHANNELS = ("offer", "request", "investment", "funding", "cooperation")
# (viewer's channel, candidate's channel) compared for each component.
DIRECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "they_offer": (("request", "offer"), ("funding", "investment")),
    "you_offer": (("offer", "request"), ("investment", "funding")),
    "cooperation": (("cooperation", "cooperation"),),
}


@dataclass(frozen=True)
class ScoringWeights:
    """Weights of the score components; every component lies in [0, 1].

    score = complementarity * (they_offer_what_you_request + you_offer_what_they_request)
          + cooperation * cooperation/partner-search match
          + interests * cosine of interest tags
          + sectors * cosine of sector/technology tags
          + description * BM25 cosine of the profile descriptions

    A complementarity component is the reciprocal-rank fusion of four rankings of the
    candidates for this viewer, each with its weight: ``lexical`` (BM25, item against
    item), ``semantic`` (static vectors, item against item), ``profile_lexical`` and
    ``profile_semantic`` (the viewer's items against the candidate's profile text). A
    candidate ranked r-th (from 0) by a signal gets ``weight / (fusion_k + r + 1)`` from
    it, up to rank ``fusion_depth``; the sum is divided by its largest possible value, so
    1 means "first by every signal". A signal ranks a candidate only when its similarity
    reaches ``min_lexical`` / ``min_semantic``.

    Complementarity dominates by default because a concrete offer answering a concrete
    request is what makes a one-to-one meeting worth twenty minutes; shared interests and
    similar descriptions break ties between otherwise equal candidates.
    ``mutual_threshold``: both directions of complementarity (or a cooperation match) at
    least this high make a pair "mutual interest". ``min_score``: weaker pairs are not
    recommended at all.
    """

    complementarity: float = 1.0
    cooperation: float = 0.8
    interests: float = 0.1
    sectors: float = 0.1
    description: float = 0.1
    lexical: float = 1.0
    semantic: float = 1.0
    profile_lexical: float = 0.3
    profile_semantic: float = 0.3
    fusion_k: float = 5.0
    fusion_depth: int = 40
    min_lexical: float = 0.04
    min_semantic: float = 0.3
    mutual_threshold: float = 0.4
    min_score: float = 0.05
    bm25_k1: float = 1.2
    bm25_b: float = 0.5

    def __post_init__(self) -> None:
        for name in (
            "complementarity",
            "cooperation",
            "interests",
            "sectors",
            "description",
            "lexical",
            "semantic",
            "profile_lexical",
            "profile_semantic",
        ):
            if getattr(self, name) < 0:
                raise InvalidRulesError(f"weight {name} must not be negative")
        if self.lexical + self.semantic + self.profile_lexical + self.profile_semantic <= 0:
            raise InvalidRulesError("at least one text signal needs a positive weight")
        if self.fusion_k < 0 or self.fusion_depth < 1:
            raise InvalidRulesError("fusion_k must be >= 0 and fusion_depth >= 1")
        if not (0.0 <= self.min_lexical < 1.0 and -1.0 <= self.min_semantic < 1.0):
            raise InvalidRulesError("min_lexical must lie in [0, 1) and min_semantic in [-1, 1)")


def is_funding_request(item: Opportunity) -> bool:
    """A request for money rather than for a product, service or partner."""
    if item.kind is not OpportunityKind.REQUEST:
        return False
    return bool(FUNDING_TAGS.intersection(item.tags)) or bool(_FUNDING_WORDS.search(item.text))


def channel_of(item: Opportunity) -> tuple[str, ...]:
    """The channels an item belongs to (a funding request is also a request)."""
    if item.kind is OpportunityKind.OFFER:
        return ("offer",)
    if item.kind is OpportunityKind.REQUEST:
        return ("request", "funding") if is_funding_request(item) else ("request",)
    if item.kind is OpportunityKind.INVESTMENT:
        return ("investment",)
    return ("cooperation",)


@dataclass(frozen=True)
class Channel:
    """Items of one kind, sorted by owner so the items of a row block are contiguous."""

    items: tuple[Opportunity, ...]
    owner: IntArray
    ptr: IntArray
    lexical: sparse.csr_matrix
    semantic: FloatArray
    owner_starts: IntArray
    owners: IntArray

    def range_of(self, row: int) -> range:
        return range(int(self.ptr[row]), int(self.ptr[row + 1]))


class TextFeatures:
    """BM25 vectors over one vocabulary, and static vectors, for any list of texts."""

    def __init__(
        self,
        corpus: Sequence[str],
        analyzer: Analyzer,
        embeddings: StaticEmbeddings | None,
        weights: ScoringWeights,
    ) -> None:
        self.analyzer = analyzer
        self.embeddings = embeddings
        self._k1, self._b = weights.bm25_k1, weights.bm25_b
        self._vectorizer = CountVectorizer(analyzer=analyzer, dtype=np.float32)
        texts = [t for t in corpus if t.strip()]
        if texts:
            counts = sparse.csr_matrix(self._vectorizer.fit_transform(texts), dtype=np.float32)
            documents = counts.shape[0]
            frequency = np.bincount(counts.indices, minlength=counts.shape[1])
            self._idf = np.log1p((documents - frequency + 0.5) / (frequency + 0.5)).astype(
                np.float32
            )
            self._mean_length = max(1.0, float(counts.sum()) / documents)
            self.vocabulary: npt.NDArray[np.str_] = self._vectorizer.get_feature_names_out()
        else:
            self._idf = np.zeros(1, dtype=np.float32)
            self._mean_length = 1.0
            self.vocabulary = np.array([""])

    @property
    def width(self) -> int:
        return int(self._idf.shape[0])

    def lexical(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if not texts or not hasattr(self._vectorizer, "vocabulary_"):
            return sparse.csr_matrix((len(texts), self.width), dtype=np.float32)
        counts = sparse.csr_matrix(self._vectorizer.transform(texts), dtype=np.float32)
        lengths = np.asarray(counts.sum(axis=1), dtype=np.float32).ravel()
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norm = self._k1 * (1.0 - self._b + self._b * lengths[rows] / self._mean_length)
        tf = counts.data
        counts.data = (tf * (self._k1 + 1.0) / (tf + norm) * self._idf[counts.indices]).astype(
            np.float32
        )
        return sparse.csr_matrix(normalize(counts, norm="l2", copy=False), dtype=np.float32)

    def semantic(self, texts: Sequence[str]) -> FloatArray:
        if self.embeddings is None:
            return np.zeros((len(texts), 1), dtype=np.float32)
        return self.embeddings.embed([self.analyzer.expanded_text(t) for t in texts])


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
    return sparse.csr_matrix(normalize(matrix, norm="l2", copy=False), dtype=np.float32)


def profile_text(profile: ParticipantProfile) -> str:
    return profile.description


@dataclass(frozen=True)
class Signals:
    """Per-pair similarities of one component before fusion (rows: viewers, cols: all)."""

    lexical: FloatArray
    semantic: FloatArray
    profile_lexical: FloatArray
    profile_semantic: FloatArray


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
    """Text and tag features of a population plus the organiser's rules; scores row blocks."""

    def __init__(
        self,
        profiles: Sequence[ParticipantProfile],
        rules: MatchingRules | None = None,
        weights: ScoringWeights | None = None,
        *,
        analyzer: Analyzer | None = None,
        embeddings: StaticEmbeddings | bool | None = True,
    ) -> None:
        self.profiles = tuple(profiles)
        self.rules = rules or MatchingRules()
        self.weights = weights or ScoringWeights()
        self.index = index_profiles(self.profiles)
        self.size = len(self.profiles)
        self.mask = RuleMask(self.profiles, self.rules, self.index)
        self.analyzer = analyzer or Analyzer()
        vectors: StaticEmbeddings | None
        if embeddings is True:
            vectors = default_embeddings() if self.weights.semantic > 0 else None
        elif embeddings is False:
            vectors = None
        else:
            vectors = embeddings
        descriptions = [profile_text(p) for p in self.profiles]
        corpus = [item.text for p in self.profiles for item in p.opportunities] + descriptions
        self.text = TextFeatures(corpus, self.analyzer, vectors, self.weights)
        self._build_items()
        self.description_lexical = self.text.lexical(descriptions)
        self.description_semantic = self.text.semantic(descriptions)
        self._has_description = np.array([bool(d.strip()) for d in descriptions], dtype=np.bool_)
        self.interest_matrix = _binary_rows([p.interests for p in self.profiles])
        self.sector_matrix = _binary_rows([p.sectors for p in self.profiles])

    def _build_items(self) -> None:
        entries: dict[str, list[tuple[int, Opportunity]]] = {name: [] for name in CHANNELS}
        for row, profile in enumerate(self.profiles):
            for item in profile.opportunities:
                for name in channel_of(item):
                    entries[name].append((row, item))
        self.channels: dict[str, Channel] = {}
        for name, found in entries.items():
            owner = np.array([row for row, _ in found], dtype=np.int64)
            items = tuple(item for _, item in found)
            texts = [item.text for item in items]
            ptr = np.searchsorted(owner, np.arange(self.size + 1)).astype(np.int64)
            owners, starts = np.unique(owner, return_index=True)
            self.channels[name] = Channel(
                items=items,
                owner=owner,
                ptr=ptr,
                lexical=self.text.lexical(texts),
                semantic=self.text.semantic(texts),
                owner_starts=starts.astype(np.int64),
                owners=owners.astype(np.int64),
            )

    def row_of(self, participant_id: str) -> int:
        return check_known(self.index, participant_id)

    def block_rows(self) -> int:
        """Rows per block so one block of dense float32 components stays around 100 MB."""
        return max(1, min(self.size, 1_500_000 // max(1, self.size)))

    # -- similarities -------------------------------------------------------------------

    def _item_pairs(
        self, source: str, target: str, start: int, stop: int
    ) -> tuple[FloatArray, FloatArray]:
        """Best lexical and semantic similarity of a ``source`` item of row i to a ``target``
        item of j, for rows ``start:stop`` against everybody."""
        lexical = np.zeros((stop - start, self.size), dtype=np.float32)
        semantic = np.full((stop - start, self.size), -1.0, dtype=np.float32)
        src, dst = self.channels[source], self.channels[target]
        lo, hi = int(src.ptr[start]), int(src.ptr[stop])
        if lo == hi or len(dst.owners) == 0:
            return lexical, semantic
        block_owners, first = np.unique(src.owner[lo:hi], return_index=True)
        rows = np.ix_(block_owners - start, dst.owners)

        def per_pair(sims: FloatArray) -> FloatArray:
            per_target = np.maximum.reduceat(sims, dst.owner_starts, axis=1)
            return np.asarray(np.maximum.reduceat(per_target, first, axis=0), dtype=np.float32)

        lexical[rows] = per_pair((src.lexical[lo:hi] @ dst.lexical.T).toarray())
        if self.text.embeddings is not None:
            semantic[rows] = per_pair(src.semantic[lo:hi] @ dst.semantic.T)
        return lexical, semantic

    def _profile_pairs(self, source: str, start: int, stop: int) -> tuple[FloatArray, FloatArray]:
        """Best similarity of a ``source`` item of row i to the profile text of j."""
        lexical = np.zeros((stop - start, self.size), dtype=np.float32)
        semantic = np.full((stop - start, self.size), -1.0, dtype=np.float32)
        src = self.channels[source]
        lo, hi = int(src.ptr[start]), int(src.ptr[stop])
        if lo == hi:
            return lexical, semantic
        block_owners, first = np.unique(src.owner[lo:hi], return_index=True)
        sims = (src.lexical[lo:hi] @ self.description_lexical.T).toarray()
        lexical[block_owners - start] = np.maximum.reduceat(sims, first, axis=0)
        if self.text.embeddings is not None:
            dense = src.semantic[lo:hi] @ self.description_semantic.T
            dense[:, ~self._has_description] = -1.0
            semantic[block_owners - start] = np.maximum.reduceat(dense, first, axis=0)
        return lexical, semantic

    def signals(self, component: str, start: int, stop: int) -> Signals:
        """The four similarities of ``component`` (they_offer, you_offer, cooperation)."""
        lexical = np.zeros((stop - start, self.size), dtype=np.float32)
        semantic = np.full((stop - start, self.size), -1.0, dtype=np.float32)
        profile_lexical = np.zeros_like(lexical)
        profile_semantic = np.full_like(semantic, -1.0)
        for source, target in DIRECTIONS[component]:
            lex, sem = self._item_pairs(source, target, start, stop)
            np.maximum(lexical, lex, out=lexical)
            np.maximum(semantic, sem, out=semantic)
        if component == "they_offer":
            # What the viewer asks for, against what the candidate says they do.
            lex, sem = self._profile_pairs("request", start, stop)
            np.maximum(profile_lexical, lex, out=profile_lexical)
            np.maximum(profile_semantic, sem, out=profile_semantic)
        elif component == "you_offer":
            # The viewer's offers against the candidate's profile is not a request: only the
            # candidate's own requests say what they need, so the profile signals stay empty.
            pass
        return Signals(lexical, semantic, profile_lexical, profile_semantic)

    def _fuse(self, signals: Signals, allowed: BoolArray) -> FloatArray:
        w = self.weights
        parts: list[tuple[float, FloatArray, float]] = [
            (w.lexical, signals.lexical, w.min_lexical),
            (w.semantic, signals.semantic, w.min_semantic),
            (w.profile_lexical, signals.profile_lexical, w.min_lexical),
            (w.profile_semantic, signals.profile_semantic, w.min_semantic),
        ]
        fused = np.zeros(allowed.shape, dtype=np.float32)
        rows = allowed.shape[0]
        depth = min(w.fusion_depth, allowed.shape[1])
        if rows == 0 or depth == 0:
            return fused
        top_possible = 0.0
        for weight, similarity, gate in parts:
            if weight <= 0:
                continue
            top_possible += weight / (w.fusion_k + 1.0)
            key = np.where(allowed & (similarity >= gate), similarity, -np.inf)
            if not np.isfinite(key).any():
                continue
            if depth < key.shape[1]:
                top = np.argpartition(-key, depth - 1, axis=1)[:, :depth]
            else:
                top = np.tile(np.arange(key.shape[1]), (rows, 1))
            values = np.take_along_axis(key, top, axis=1)
            order = np.argsort(-values, axis=1, kind="stable")
            top = np.take_along_axis(top, order, axis=1)
            values = np.take_along_axis(values, order, axis=1)
            credit = (weight / (w.fusion_k + 1.0 + np.arange(depth))).astype(np.float32)
            gained = np.where(np.isfinite(values), credit[None, :], 0.0).astype(np.float32)
            # Columns of one row are distinct, so a fancy-indexed add loses nothing.
            fused[np.arange(rows)[:, None], top] += gained
        if top_possible > 0:
            fused /= top_possible
        return fused

    def score_block(self, start: int, stop: int) -> ScoreBlock:
        w = self.weights
        allowed = self.mask.block(start, stop)
        they_offer = self._fuse(self.signals("they_offer", start, stop), allowed)
        you_offer = self._fuse(self.signals("you_offer", start, stop), allowed)
        cooperation = self._fuse(self.signals("cooperation", start, stop), allowed)
        interests = (self.interest_matrix[start:stop] @ self.interest_matrix.T).toarray()
        sectors = (self.sector_matrix[start:stop] @ self.sector_matrix.T).toarray()
        description = (self.description_lexical[start:stop] @ self.description_lexical.T).toarray()
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
            allowed=allowed,
            score=score,
            mutual=mutual,
            they_offer=they_offer,
            you_offer=you_offer,
            cooperation=cooperation,
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

    def shared_terms(self, first: str, second: str, limit: int) -> tuple[str, ...]:
        """Words both texts use (after analysis), rarest first, as a person would read them."""
        mine = set(self.analyzer(first))
        theirs = self.analyzer(second)
        vocabulary = {term: i for i, term in enumerate(self.text.vocabulary.tolist())}
        shared = [t for t in dict.fromkeys(theirs) if t in mine]
        shared.sort(key=lambda t: -float(self.text._idf[vocabulary[t]]) if t in vocabulary else 0)
        words: list[str] = []
        for token in shared:
            word = self.analyzer.show(token)
            if any(word in kept or kept in word for kept in words):
                continue
            words.append(word)
            if len(words) >= limit:
                break
        return tuple(words)


def iter_items(profiles: Iterable[ParticipantProfile]) -> Iterable[Opportunity]:
    for profile in profiles:
        yield from profile.opportunities
