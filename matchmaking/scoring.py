"""Pair scores from text and tags, computed block by block without a loop over pairs.

Every marketplace item (offer, request, investment, funding request, cooperation) and every
profile description is represented twice:

- **lexical**: BM25 weights of its analysed tokens (stems, short forms spelled out, synonym
  groups, translations; see :mod:`matchmaking.text`), L2-normalised;
- **semantic**: static word vectors (:mod:`matchmaking.vectors`) pooled with weights that
  fall for tokens frequent in this event, minus the event's mean vector.

Each item of a viewer ranks every candidate under each signal: item against the
candidate's best item, lexical and semantic, and, for a request, against the candidate's
profile text (an answer written only in a profile still counts). The rankings are fused by
reciprocal rank (Cormack, Clarke and Buettcher, 2009), so a paraphrase only the vectors see
and a rare word only BM25 sees both bring a candidate up, and no absolute similarity floor
decides what counts; a small evidence gate keeps noise from being ranked at all. Each item
ranks on its own, so a viewer with three requests gets answers to each; the viewer's
component is the best over their items. Both directions are scored: what the candidate
offers against what the viewer requests, and the reverse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from matchmaking.duplicates import DuplicateGroups, repeat_flags, repeats_last
from matchmaking.errors import InvalidRulesError, UnknownParticipantError
from matchmaking.feedback import OutcomeModel, RequestOutcome, build_outcomes
from matchmaking.places import place_tokens, unquoted_tokens
from matchmaking.profiles import (
    Opportunity,
    OpportunityKind,
    ParticipantProfile,
    index_profiles,
)
from matchmaking.rules import BoolArray, MatchingRules, PairSide, RuleMask, check_known
from matchmaking.text import Analyzer
from matchmaking.vectors import StaticEmbeddings, default_embeddings, frequency_weights

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
_SIGNALS = ("lexical", "semantic", "profile_lexical", "profile_semantic")
# Texts it takes before the event's mean vector is fully removed (see TextFeatures).
_CENTRE_PRIOR = 200.0
# Terms kept per text in the BM25 vectors (see _keep_heaviest).
_TERMS_KEPT = 24


@dataclass(frozen=True)
class ScoringWeights:
    """Weights of the score components; every component lies in [0, 1].

    score = complementarity * (they_offer_what_you_request + you_offer_what_they_request)
          + cooperation * cooperation/partner-search match
          + interests * cosine of interest tags
          + sectors * cosine of sector/technology tags
          + description * BM25 cosine of the profile descriptions
          + feedback * what the event's answered requests say (in [-1, 1], see
            :mod:`matchmaking.feedback`; 0 until requests are answered)

    A complementarity component is the reciprocal-rank fusion of rankings of the
    candidates, one per signal, each with its weight: ``lexical`` (BM25, item against
    item), ``semantic`` (vectors, item against item), ``profile_lexical`` and
    ``profile_semantic`` (a request against the candidate's profile text). A candidate
    ranked r-th (from 0) by a signal gets ``weight / (fusion_k + r + 1)`` from it, down to
    rank ``fusion_depth``; the sum is divided by its largest possible value, so 1 means
    "first for every signal". A signal ranks a candidate only when its similarity reaches
    ``min_lexical`` / ``min_semantic`` (cosines of centred vectors are near 0 for unrelated
    texts).

    Complementarity dominates by default because a concrete offer answering a concrete
    request is what makes a one-to-one meeting worth twenty minutes; shared interests and
    similar descriptions break ties between otherwise equal candidates.
    ``place_names`` scales the BM25 weight of place names (countries, the event's regions,
    see :mod:`matchmaking.places`). Place names are never quoted as matched words; they
    keep their full weight by default, because "we serve clients in your region" is
    evidence (lower weights cost 1-4 points of recall on the synthetic set, where offers
    name the requester's region); an event that wants neighbours to count less sets it
    below 1.
    ``repeats_last``: in each signal's ranking, an entry that reads the same as one ranked
    above it (same title and description, see :mod:`matchmaking.duplicates`) ranks after
    every distinct entry, so copies of one text do not crowd out a different answer.
    ``repeat_share``: in a top-k list, a candidate whose matching entry reads the same as
    that of a candidate listed above counts at this share of its score, so it follows the
    distinct candidates nearly as good (the best of near-identical entries is shown, the
    copies after it); 1 turns this off.
    ``mutual_threshold``: both directions of complementarity (or a cooperation match) at
    least this high make a pair "mutual interest". ``min_score``: weaker pairs are not
    recommended at all. The defaults were chosen on the realistic benchmark set
    (docs/benchmarks/matching.md), on a coarse grid, on two seeds.
    """

    complementarity: float = 1.0
    cooperation: float = 0.8
    interests: float = 0.1
    sectors: float = 0.1
    description: float = 0.1
    lexical: float = 1.0
    semantic: float = 1.0
    profile_lexical: float = 0.3
    profile_semantic: float = 0.0
    fusion_k: float = 5.0
    fusion_depth: int = 40
    min_lexical: float = 0.04
    min_semantic: float = 0.1
    mutual_threshold: float = 0.4
    min_score: float = 0.05
    feedback: float = 1.0
    feedback_similarity: float = 0.2
    bm25_k1: float = 1.2
    bm25_b: float = 0.5
    place_names: float = 1.0
    repeats_last: bool = True
    repeat_share: float = 0.5

    def __post_init__(self) -> None:
        for name in (
            "complementarity",
            "cooperation",
            "interests",
            "sectors",
            "description",
            "feedback",
            *_SIGNALS,
        ):
            if getattr(self, name) < 0:
                raise InvalidRulesError(f"weight {name} must not be negative")
        if sum(getattr(self, name) for name in _SIGNALS) <= 0:
            raise InvalidRulesError("at least one text signal needs a positive weight")
        if self.fusion_k < 0 or self.fusion_depth < 1:
            raise InvalidRulesError("fusion_k must be >= 0 and fusion_depth >= 1")
        if not 0.0 <= self.repeat_share <= 1.0:
            raise InvalidRulesError("repeat_share must lie in [0, 1]")
        if not 0.0 <= self.place_names <= 1.0:
            raise InvalidRulesError("place_names must lie in [0, 1]")
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
    # Near-duplicate group of each item (see matchmaking.duplicates).
    group: IntArray
    owner_starts: IntArray
    owners: IntArray
    # (owner positions, item columns) of each owner's 2nd, 3rd... item (see best_of_owner).
    levels: tuple[tuple[IntArray, IntArray], ...]

    @classmethod
    def build(
        cls,
        size: int,
        items: tuple[Opportunity, ...],
        owner: IntArray,
        lexical: sparse.csr_matrix,
        semantic: FloatArray,
        group: IntArray,
    ) -> Channel:
        owners, starts = np.unique(owner, return_index=True)
        counts = np.diff(np.append(starts, len(owner)))
        levels = []
        for level in range(1, int(counts.max()) if len(counts) else 0):
            positions = np.flatnonzero(counts > level)
            levels.append(
                (positions.astype(np.int64), (starts[positions] + level).astype(np.int64))
            )
        return cls(
            items=items,
            owner=owner,
            ptr=np.searchsorted(owner, np.arange(size + 1)).astype(np.int64),
            lexical=sparse.csr_matrix(lexical, dtype=np.float32),
            semantic=semantic,
            group=group.astype(np.int64),
            owner_starts=starts.astype(np.int64),
            owners=owners.astype(np.int64),
            levels=_run_levels(starts.astype(np.int64), len(owner)),
        )

    def best_of_owner(self, values: FloatArray) -> FloatArray:
        """Row-wise maximum of ``values`` (one column per item) over each owner's items,
        one column per owner: the owners' first items, then each further item where there
        is one (faster than ``np.maximum.reduceat`` over thousands of short runs)."""
        best: FloatArray = values[:, self.owner_starts]
        for positions, columns in self.levels:
            best[:, positions] = np.maximum(best[:, positions], values[:, columns])
        return best

    def range_of(self, row: int) -> range:
        return range(int(self.ptr[row]), int(self.ptr[row + 1]))

    def replace_row(
        self,
        row: int,
        items: tuple[Opportunity, ...],
        lexical: sparse.csr_matrix,
        semantic: FloatArray,
        group: IntArray,
    ) -> Channel:
        """The channel with ``row``'s items swapped for ``items`` (features given)."""
        lo, hi = int(self.ptr[row]), int(self.ptr[row + 1])
        owner = np.concatenate(
            [self.owner[:lo], np.full(len(items), row, dtype=np.int64), self.owner[hi:]]
        )
        return Channel.build(
            len(self.ptr) - 1,
            self.items[:lo] + items + self.items[hi:],
            owner,
            sparse.vstack([self.lexical[:lo], lexical, self.lexical[hi:]], format="csr"),
            np.concatenate([self.semantic[:lo], semantic, self.semantic[hi:]]),
            np.concatenate([self.group[:lo], group, self.group[hi:]]),
        )

    def best_item_groups(self, values: FloatArray, rows: IntArray, owners: IntArray) -> IntArray:
        """Group of each owner's most similar item: ``values`` has one column per item,
        ``rows[n]`` is the row to read for ``owners[n]`` (participant rows), any shape."""
        start = self.ptr[owners]
        count = self.ptr[owners + 1] - start
        best_group = self.group[start]
        if not len(self.levels):
            return best_group
        best_value = values[rows, start]
        for level in range(1, int(count.max(initial=1))):
            more = count > level
            if not more.any():
                break
            column = start[more] + level
            value = values[rows[more], column]
            better = value > best_value[more]
            best_value[more] = np.where(better, value, best_value[more])
            best_group[more] = np.where(better, self.group[column], best_group[more])
        return best_group


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
        # Static vectors share a common direction that makes every cosine look alike;
        # removing the event's mean vector leaves what sets texts apart.
        self._centre: FloatArray | None = None
        self._token_weights: FloatArray | None = None
        # Each distinct text is tokenised once; items and descriptions look it up.
        self._rows: dict[str, int] = {}
        width = 1 if embeddings is None else int(embeddings.table.shape[0])
        self._counts = sparse.csr_matrix((0, width), dtype=np.float32)
        if embeddings is not None:
            occurrences = Counter(t for t in corpus if t.strip())
            if occurrences:
                distinct = list(occurrences)
                self._rows = {text: row for row, text in enumerate(distinct)}
                self._counts = embeddings.token_counts(
                    [analyzer.expanded_text(t) for t in distinct]
                )
                times = np.array([occurrences[t] for t in distinct], dtype=np.float32)
                self._token_weights = frequency_weights(
                    sparse.csr_matrix(self._counts.multiply(times[:, None]))
                )
                raw = embeddings.pool(self._counts, self._token_weights)
                # Trusted in proportion to how many texts it averages: the mean of a
                # handful of profiles is their topic, not the vectors' common direction.
                total = float(times.sum())
                shrink = total / (total + _CENTRE_PRIOR)
                mean = (raw * times[:, None]).sum(axis=0) / total
                self._centre = (mean * shrink).astype(np.float32)
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
        self.is_place = np.zeros(self.width, dtype=np.bool_)
        self.is_unquoted = self.is_place

    @property
    def width(self) -> int:
        return int(self._idf.shape[0])

    def set_places(
        self, tokens: frozenset[str], weight: float, unquoted: frozenset[str] = frozenset()
    ) -> None:
        """Mark the vocabulary's place names and scale their BM25 weight by ``weight``;
        place names and ``unquoted`` words (north, county...) are never quoted."""
        self.is_place = np.array([str(t) in tokens for t in self.vocabulary], dtype=np.bool_)
        self._idf = np.where(self.is_place, self._idf * weight, self._idf).astype(np.float32)
        self.is_unquoted = self.is_place | np.array(
            [str(t) in unquoted for t in self.vocabulary], dtype=np.bool_
        )

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
        return sparse.csr_matrix(
            normalize(_keep_heaviest(counts, _TERMS_KEPT), norm="l2", copy=False),
            dtype=np.float32,
        )

    def semantic(self, texts: Sequence[str]) -> FloatArray:
        if self.embeddings is None:
            return np.zeros((len(texts), 1), dtype=np.float32)
        if not texts:
            return np.zeros((0, self.embeddings.dimension), dtype=np.float32)
        rows = [self._rows.get(t, -1) for t in texts]
        missing = [t for t, row in zip(texts, rows, strict=True) if row < 0]
        if missing:
            extra = self.embeddings.token_counts([self.analyzer.expanded_text(t) for t in missing])
            known = self._counts.shape[0]
            combined = sparse.vstack([self._counts, extra], format="csr")
            next_extra = iter(range(known, known + len(missing)))
            rows = [row if row >= 0 else next(next_extra) for row in rows]
        else:
            combined = self._counts
        counts = sparse.csr_matrix(combined[rows])
        vectors = self.embeddings.pool(counts, self._token_weights)
        if self._centre is not None and len(vectors):
            empty = ~vectors.any(axis=1)
            vectors = vectors - self._centre
            vectors[empty] = 0.0  # a text without words stays without a direction
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return vectors.astype(np.float32)


def _run_levels(starts: IntArray, total: int) -> tuple[tuple[IntArray, IntArray], ...]:
    """For runs starting at ``starts`` (sorted, the last ending at ``total``): for each
    level l >= 1, the runs longer than l and the index of their (l+1)-th element. The
    maximum over each run is then its first element, raised level by level, a few
    vectorised steps instead of one small reduction per run."""
    lengths = np.diff(np.append(starts, total))
    levels = []
    for level in range(1, int(lengths.max()) if len(lengths) else 0):
        positions = np.flatnonzero(lengths > level).astype(np.int64)
        levels.append((positions, (starts[positions] + level).astype(np.int64)))
    return tuple(levels)


def _keep_heaviest(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row's ``keep`` heaviest terms: a long description's tail of common words adds
    little to a cosine and much to the cost of every product."""
    lengths = np.diff(matrix.indptr)
    if not len(lengths) or lengths.max() <= keep:
        return matrix
    for row in np.flatnonzero(lengths > keep).tolist():
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        cut = np.partition(matrix.data[lo:hi], hi - lo - keep)[hi - lo - keep]
        weights = matrix.data[lo:hi]
        # Ties at the cut may keep a few more than ``keep``; that is harmless.
        weights[weights < cut] = 0.0
    matrix.eliminate_zeros()
    return matrix


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


@dataclass(frozen=True)
class Signals:
    """Similarities of items (rows) to participants (columns), one array per signal.

    ``lexical`` and ``semantic`` have one column per participant in ``owners`` (those
    with an item of the target kind: nobody else can be ranked by them); the profile
    signals have one column per participant. ``lexical_items`` and ``semantic_items``
    are the item-by-item similarities they were reduced from (one column per item of
    ``target``), read to tell which item of a ranked participant matched.
    """

    lexical: FloatArray
    semantic: FloatArray
    profile_lexical: FloatArray
    profile_semantic: FloatArray
    owners: IntArray
    target: Channel
    lexical_items: FloatArray
    semantic_items: FloatArray


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
    feedback: FloatArray
    carriers: Carriers | None = None


@dataclass(frozen=True)
class Carriers:
    """The near-duplicate group of the entry that matched, for (row, column) pairs.

    ``rows`` are local to the block (viewer rows, or item rows inside :meth:`_fuse`);
    ``values`` rank several entries of one pair (the strongest is kept by
    :meth:`resolve`).
    """

    rows: IntArray
    columns: IntArray
    groups: IntArray
    values: FloatArray

    @staticmethod
    def join(parts: Sequence[Carriers]) -> Carriers:
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return Carriers(empty, empty, empty, np.zeros(0, dtype=np.float32))
        return Carriers(
            np.concatenate([p.rows for p in parts]),
            np.concatenate([p.columns for p in parts]),
            np.concatenate([p.groups for p in parts]),
            np.concatenate([p.values for p in parts]),
        )

    def resolve(self, width: int, wanted: IntArray) -> tuple[IntArray, IntArray]:
        """Sorted pair codes (``row * width + column``) among ``wanted`` (sorted codes) and
        the group of each pair's strongest entry."""
        codes = self.rows * width + self.columns
        if not len(codes) or not len(wanted):
            return codes[:0], self.groups[:0]
        # Only the pairs asked about are sorted (a few per list, not every ranked entry).
        position = np.minimum(np.searchsorted(wanted, codes), len(wanted) - 1)
        asked = wanted[position] == codes
        codes, groups, values = codes[asked], self.groups[asked], self.values[asked]
        # One sort on a composite key (values lie in [0, 4)) is cheaper than a lexsort.
        order = np.argsort(codes * 4.0 + (4.0 - np.clip(values, 0.0, 3.99)))
        codes, groups = codes[order], groups[order]
        first = np.ones(len(codes), dtype=np.bool_)
        first[1:] = codes[1:] != codes[:-1]
        return codes[first], groups[first]


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
        outcomes: Sequence[RequestOutcome] = (),
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
            uses_vectors = self.weights.semantic > 0 or self.weights.profile_semantic > 0
            vectors = default_embeddings() if uses_vectors else None
        elif embeddings is False:
            vectors = None
        else:
            vectors = embeddings
        descriptions = [p.description for p in self.profiles]
        corpus = [item.text for p in self.profiles for item in p.opportunities] + descriptions
        self.text = TextFeatures(corpus, self.analyzer, vectors, self.weights)
        self.text.set_places(
            place_tokens(
                self.analyzer,
                countries=(p.country for p in self.profiles),
                regions=(p.region for p in self.profiles),
            ),
            self.weights.place_names,
            unquoted_tokens(self.analyzer),
        )
        self._shown_cache: dict[int, tuple[str, frozenset[str]]] = {}
        self.duplicates = DuplicateGroups(self.profiles)
        self._build_items()
        self._build_profiles()
        self._outcome_list = tuple(outcomes)
        self.outcomes = self._build_outcomes()

    def _build_items(self) -> None:
        entries: dict[str, list[tuple[int, Opportunity]]] = {name: [] for name in CHANNELS}
        for row, profile in enumerate(self.profiles):
            for item in profile.opportunities:
                for name in channel_of(item):
                    entries[name].append((row, item))
        self.channels: dict[str, Channel] = {}
        for name, found in entries.items():
            items = tuple(item for _, item in found)
            texts = [item.text for item in items]
            self.channels[name] = Channel.build(
                self.size,
                items,
                np.array([row for row, _ in found], dtype=np.int64),
                self.text.lexical(texts),
                self.text.semantic(texts),
                self.duplicates.items(items),
            )

    def _build_outcomes(self) -> OutcomeModel | None:
        if not self._outcome_list or self.text.embeddings is None or self.weights.feedback <= 0:
            return None
        width = self.description_semantic.shape[1]
        needs = np.zeros((self.size, width), dtype=np.float32)
        offers = np.zeros((self.size, width), dtype=np.float32)
        for names, target in ((("request",), needs), (("offer", "investment"), offers)):
            for name in names:
                channel = self.channels[name]
                if len(channel.owners):
                    target[channel.owners] += np.add.reduceat(
                        channel.semantic, channel.owner_starts, axis=0
                    )
        offers += self.description_semantic
        return build_outcomes(
            self._outcome_list, self.index, needs, offers, self.weights.feedback_similarity
        )

    def _build_profiles(self) -> None:
        descriptions = [p.description for p in self.profiles]
        self.description_lexical = self.text.lexical(descriptions)
        self.description_semantic = self.text.semantic(descriptions)
        self.has_description = np.array([bool(d.strip()) for d in descriptions], dtype=np.bool_)
        self.description_group = self.duplicates.descriptions(descriptions)
        self.interest_matrix = _binary_rows([p.interests for p in self.profiles])
        self.sector_matrix = _binary_rows([p.sectors for p in self.profiles])

    def update(self, profile: ParticipantProfile) -> None:
        """Take an edited profile into account without rebuilding the whole model.

        The vocabulary, token weights and centre stay those of the last full build: words
        no one used before count for the vectors but not yet for BM25 (a full rebuild,
        e.g. the next :class:`Matchmaker`, picks them up).
        """
        row = self.index.get(profile.participant_id)
        if row is None:
            raise UnknownParticipantError(
                f"unknown participant {profile.participant_id!r}: rebuild to add someone"
            )
        before = self.profiles[row]
        self.profiles = (*self.profiles[:row], profile, *self.profiles[row + 1 :])
        if PairSide.of(before) != PairSide.of(profile):
            self.mask = RuleMask(self.profiles, self.rules, self.index)
        for name, channel in self.channels.items():
            items = tuple(item for item in profile.opportunities if name in channel_of(item))
            texts = [item.text for item in items]
            self.channels[name] = channel.replace_row(
                row,
                items,
                self.text.lexical(texts),
                self.text.semantic(texts),
                self.duplicates.items(items),
            )
        lexical = self.text.lexical([profile.description])
        self.description_lexical = sparse.vstack(
            [self.description_lexical[:row], lexical, self.description_lexical[row + 1 :]],
            format="csr",
        )
        self.description_semantic = self.description_semantic.copy()
        self.description_semantic[row] = self.text.semantic([profile.description])[0]
        self.has_description = self.has_description.copy()
        self.has_description[row] = bool(profile.description.strip())
        self.description_group = self.description_group.copy()
        self.description_group[row] = self.duplicates.descriptions([profile.description])[0]
        if before.interests != profile.interests:
            self.interest_matrix = _binary_rows([p.interests for p in self.profiles])
        if before.sectors != profile.sectors:
            self.sector_matrix = _binary_rows([p.sectors for p in self.profiles])
        if self.outcomes is not None:
            self.outcomes = self._build_outcomes()

    def row_of(self, participant_id: str) -> int:
        return check_known(self.index, participant_id)

    def block_rows(self) -> int:
        """Rows per block so one block of dense float32 arrays stays around 100 MB."""
        return max(1, min(self.size, 1_500_000 // max(1, self.size)))

    def item_signals(self, source: str, target: str, component: str, lo: int, hi: int) -> Signals:
        """Similarities of the ``source`` items ``lo:hi`` to every participant.

        Rows are items, columns participants: the best ``target`` item of each participant
        (lexical and semantic), and for a request, the participant's profile text.
        """
        rows = hi - lo
        w = self.weights
        unused = np.zeros((0, 0), dtype=np.float32)  # a signal of weight 0 is never read

        def empty(weight: float, fill: float) -> FloatArray:
            if weight <= 0:
                return unused
            return np.full((rows, self.size), fill, dtype=np.float32)

        src, dst = self.channels[source], self.channels[target]
        owned = (rows, len(dst.owners))
        lexical = semantic = lexical_items = semantic_items = unused
        profile_lexical = empty(w.profile_lexical, 0.0)
        profile_semantic = empty(w.profile_semantic, -1.0)
        if rows and len(dst.owners):
            # Item against item, then the best item of each owner (items are sorted by
            # owner, so each owner's items are one run of columns).
            if w.lexical > 0:
                lexical_items = (src.lexical[lo:hi] @ dst.lexical.T).toarray()
                lexical = dst.best_of_owner(lexical_items)
            if self.text.embeddings is not None and w.semantic > 0:
                semantic_items = src.semantic[lo:hi] @ dst.semantic.T
                semantic = dst.best_of_owner(semantic_items)
        if w.lexical > 0 and lexical.shape != owned:
            lexical = np.zeros(owned, dtype=np.float32)
        if w.semantic > 0 and semantic.shape != owned:
            semantic = np.full(owned, -1.0, dtype=np.float32)
        if rows and component == "they_offer" and source == "request":
            # What the viewer asks for, against what the candidate says they do. (An offer
            # against a profile says nothing about the candidate's needs, so only here.)
            if w.profile_lexical > 0:
                profile_lexical = np.asarray(
                    (src.lexical[lo:hi] @ self.description_lexical.T).toarray(),
                    dtype=np.float32,
                )
            if self.text.embeddings is not None and w.profile_semantic > 0:
                profile_semantic = np.asarray(
                    src.semantic[lo:hi] @ self.description_semantic.T, dtype=np.float32
                )
                profile_semantic[:, ~self.has_description] = -1.0
        return Signals(
            lexical,
            semantic,
            profile_lexical,
            profile_semantic,
            dst.owners,
            dst,
            lexical_items,
            semantic_items,
        )

    def _fuse(self, signals: Signals, allowed: BoolArray) -> tuple[FloatArray, Carriers | None]:
        """Reciprocal-rank fusion of the signals, row by row, in [0, 1], and (when
        ``repeat_share`` < 1) the group of the entry each ranked pair matched with."""
        w = self.weights
        gates = {
            "lexical": w.min_lexical,
            "semantic": w.min_semantic,
            "profile_lexical": w.min_lexical,
            "profile_semantic": w.min_semantic,
        }
        rows, columns = allowed.shape
        fused = np.zeros((rows, columns), dtype=np.float32)
        weights = {name: float(getattr(w, name)) for name in _SIGNALS}
        best_possible = sum(weights.values()) / (w.fusion_k + 1.0)
        if rows == 0:
            return fused, None
        carriers: list[Carriers] = []
        credit = (1.0 / (w.fusion_k + 1.0 + np.arange(w.fusion_depth))).astype(np.float32)
        row_index = np.arange(rows)[:, None]
        owners_allowed: BoolArray | None = None
        for name in _SIGNALS:
            if weights[name] <= 0:
                continue
            similarity = getattr(signals, name)
            owned = name in ("lexical", "semantic")
            if owned and owners_allowed is None:
                owners_allowed = allowed[:, signals.owners]
            width = similarity.shape[1]
            depth = min(w.fusion_depth, width)
            if depth == 0:
                continue
            mask = owners_allowed if owned and owners_allowed is not None else allowed
            key = np.where(mask & (similarity >= gates[name]), similarity, -np.inf)
            if depth < width:
                top = np.argpartition(-key, depth - 1, axis=1)[:, :depth]
            else:
                top = np.tile(np.arange(width), (rows, 1))
            values = np.take_along_axis(key, top, axis=1)
            order = np.argsort(-values, axis=1, kind="stable")
            top = np.take_along_axis(top, order, axis=1)
            values = np.take_along_axis(values, order, axis=1)
            groups = (
                self._ranked_groups(signals, name, top)
                if w.repeats_last or w.repeat_share < 1.0
                else None
            )
            if w.repeats_last and groups is not None:
                # Only the rows that list a text twice are reordered.
                finite = np.isfinite(values)
                repeated = np.flatnonzero(repeat_flags(groups, finite).any(axis=1))
                if len(repeated):
                    order = repeats_last(groups[repeated], finite[repeated])
                    for array in (top, values, groups):
                        array[repeated] = np.take_along_axis(array[repeated], order, axis=1)
            gained = np.where(np.isfinite(values), weights[name] * credit[None, :depth], 0.0)
            # Columns within a row are distinct, so a fancy-indexed add loses nothing.
            target = signals.owners[top] if owned else top
            fused[row_index, target] += gained.astype(np.float32)
            if w.repeat_share < 1.0 and groups is not None:
                found = np.isfinite(values)
                # An item's group says more than a profile's: item signals come first.
                priority = 1.0 if owned else 0.0
                carriers.append(
                    Carriers(
                        np.broadcast_to(row_index, top.shape)[found].astype(np.int64),
                        target[found].astype(np.int64),
                        groups[found],
                        np.full(int(found.sum()), priority, dtype=np.float32),
                    )
                )
        fused /= best_possible
        if w.repeat_share >= 1.0:
            return fused, None
        found_carriers = Carriers.join(carriers)
        values = fused[found_carriers.rows, found_carriers.columns] + found_carriers.values
        return fused, replace(found_carriers, values=values.astype(np.float32))

    def _ranked_groups(self, signals: Signals, name: str, top: IntArray) -> IntArray:
        """Near-duplicate group of each ranked entry: the group of the participant's
        matching item for the item signals, of their description for the profile ones."""
        if name not in ("lexical", "semantic"):
            return np.asarray(self.description_group[top], dtype=np.int64)
        items = signals.lexical_items if name == "lexical" else signals.semantic_items
        rows = np.broadcast_to(np.arange(top.shape[0], dtype=np.int64)[:, None], top.shape)
        return signals.target.best_item_groups(items, rows, signals.owners[top])

    def component(
        self, component: str, start: int, stop: int, allowed: BoolArray
    ) -> tuple[FloatArray, Carriers | None]:
        """A complementarity component for rows ``start:stop``, fused item by item.

        Each of the viewer's items ranks the candidates on its own, so every request gets
        its best answers; the viewer's component is the best over their items.
        """
        out = np.zeros((stop - start, self.size), dtype=np.float32)
        carriers: list[Carriers] = []
        for source, target in DIRECTIONS[component]:
            src = self.channels[source]
            lo, hi = int(src.ptr[start]), int(src.ptr[stop])
            if lo == hi:
                continue
            owners = src.owner[lo:hi] - start
            fused, found = self._fuse(
                self.item_signals(source, target, component, lo, hi), allowed[owners]
            )
            if found is not None:
                carriers.append(replace(found, rows=owners[found.rows]))
            block_owners, first = np.unique(owners, return_index=True)
            per_viewer = fused[first]
            for positions, later in _run_levels(first.astype(np.int64), len(owners)):
                per_viewer[positions] = np.maximum(per_viewer[positions], fused[later])
            out[block_owners] = np.maximum(out[block_owners], per_viewer)
        if self.weights.repeat_share >= 1.0:
            return out, None
        return out, Carriers.join(carriers)

    def score_block(self, start: int, stop: int) -> ScoreBlock:
        w = self.weights
        allowed = self.mask.block(start, stop)
        they_offer, they_carriers = self.component("they_offer", start, stop, allowed)
        you_offer, you_carriers = self.component("you_offer", start, stop, allowed)
        cooperation, cooperation_carriers = self.component("cooperation", start, stop, allowed)
        carriers = None
        if w.repeat_share < 1.0:
            parts = []
            for found, weight in (
                (they_carriers, w.complementarity),
                (you_carriers, w.complementarity),
                (cooperation_carriers, w.cooperation),
            ):
                if found is not None and len(found.rows):
                    parts.append(replace(found, values=found.values * np.float32(weight)))
            carriers = Carriers.join(parts)
        interests = (self.interest_matrix[start:stop] @ self.interest_matrix.T).toarray()
        sectors = (self.sector_matrix[start:stop] @ self.sector_matrix.T).toarray()
        description = (self.description_lexical[start:stop] @ self.description_lexical.T).toarray()
        feedback = (
            self.outcomes.block(start, stop)
            if self.outcomes is not None
            else np.zeros_like(they_offer)
        )
        score = (
            w.complementarity * (you_offer + they_offer)
            + w.cooperation * cooperation
            + w.interests * interests
            + w.sectors * sectors
            + w.description * description
            + w.feedback * feedback
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
            feedback=feedback.astype(np.float32),
            carriers=carriers,
        )

    def count_allowed_pairs(self) -> int:
        """Unordered pairs the rules allow (before any score threshold)."""
        total = 0
        step = self.block_rows()
        for start in range(0, self.size, step):
            total += int(self.mask.block(start, min(self.size, start + step)).sum())
        return total // 2

    def _shown(self, column: int) -> tuple[str, frozenset[str]]:
        shown = self._shown_cache.get(column)
        if shown is None:
            word = self.analyzer.show(str(self.text.vocabulary[column]))
            shown = (word, frozenset(self.analyzer.stem(part) for part in word.lower().split()))
            self._shown_cache[column] = shown
        return shown

    def shared_terms_many(
        self,
        left: sparse.csr_matrix,
        rows: Sequence[int],
        right: sparse.csr_matrix,
        others: Sequence[int],
        limit: int,
    ) -> list[tuple[str, ...]]:
        """Words each pair of analysed texts (``left[rows[n]]``, ``right[others[n]]``)
        shares, weightiest first, as a person would read them; place names left out.

        One sparse element-wise product finds every shared term of every pair; only the
        few heaviest of each pair are read in Python (to merge one stem's variants).
        """
        count = len(rows)
        result: list[tuple[str, ...]] = [() for _ in range(count)]
        if not count:
            return result
        a = np.asarray(rows, dtype=np.int64)
        b = np.asarray(others, dtype=np.int64)
        product = sparse.csr_matrix(left[a].multiply(right[b]))
        product.eliminate_zeros()
        lengths = np.diff(product.indptr)
        pair = np.repeat(np.arange(count, dtype=np.int64), lengths)
        columns = product.indices.astype(np.int64)
        keep = ~self.text.is_unquoted[columns]  # "both mention Bavaria" says where, not what
        pair, columns, weights = pair[keep], columns[keep], product.data[keep]
        order = np.lexsort((columns, -weights, pair))
        pair, columns = pair[order], columns[order]
        # A few more than ``limit`` per pair, to leave room for merged variants.
        starts = np.searchsorted(pair, np.arange(count, dtype=np.int64))
        position = np.arange(len(pair), dtype=np.int64) - starts[pair]
        head = position < 3 * limit
        pair_list, column_list = pair[head].tolist(), columns[head].tolist()
        words: list[str] = []
        seen: set[str] = set()
        current = -1
        for number, column in zip(pair_list, column_list, strict=True):
            if number != current:
                if current >= 0:
                    result[current] = tuple(words)
                current, words, seen = number, [], set()
            if len(words) >= limit:
                continue
            word, stems = self._shown(column)
            # "recycle" and "recycling", "hydrogen" and "green hydrogen" say one thing.
            if stems & seen or any(word in kept or kept in word for kept in words):
                continue
            seen |= stems
            words.append(word)
        if current >= 0:
            result[current] = tuple(words)
        return result

    def shared_terms(
        self,
        left: sparse.csr_matrix,
        row: int,
        right: sparse.csr_matrix,
        other: int,
        limit: int,
    ) -> tuple[str, ...]:
        """Words two analysed texts share (see :meth:`shared_terms_many`)."""
        return self.shared_terms_many(left, [row], right, [other], limit)[0]
