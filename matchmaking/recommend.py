"""Top-k recommendations per participant, mutual interest first, each with its reasons."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from matchmaking.duplicates import repeat_flags
from matchmaking.errors import InvalidRulesError
from matchmaking.feedback import RequestOutcome
from matchmaking.profiles import ParticipantProfile
from matchmaking.reasons import COMPONENTS, Reason, ReasonSettings, explain_pairs
from matchmaking.rules import MatchingRules
from matchmaking.scoring import ScoreBlock, ScoreModel, ScoringWeights
from matchmaking.text import Analyzer

# How deep a list is read to replace near-identical entries (times k).
_DIVERSITY_DEPTH = 3
# Scores stay far below this, so adding it sorts every mutual pair before every other one.
_MUTUAL_BONUS = 1000.0


@dataclass(frozen=True)
class ScoreBreakdown:
    """The components of a score before weighting: each in [0, 1], feedback in [-1, 1]."""

    they_offer: float
    you_offer: float
    cooperation: float
    interests: float
    sectors: float
    description: float
    feedback: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {
            "they_offer": round(self.they_offer, 4),
            "you_offer": round(self.you_offer, 4),
            "cooperation": round(self.cooperation, 4),
            "interests": round(self.interests, 4),
            "sectors": round(self.sectors, 4),
            "description": round(self.description, 4),
            "feedback": round(self.feedback, 4),
        }


@dataclass(frozen=True)
class Recommendation:
    """``candidate_id`` recommended to ``participant_id``; ``rank`` starts at 1."""

    participant_id: str
    candidate_id: str
    rank: int
    score: float
    is_mutual: bool
    breakdown: ScoreBreakdown
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "participant_id": self.participant_id,
            "candidate_id": self.candidate_id,
            "rank": self.rank,
            "score": round(self.score, 4),
            "is_mutual": self.is_mutual,
            "breakdown": self.breakdown.to_dict(),
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class CandidatePair:
    """An unordered allowed pair; ``a`` sorts before ``b``.

    Scores are ranked from each viewer's side (the fusion is by rank within a viewer's
    candidates), so a pair seen from both sides keeps the higher of its two scores.
    """

    a: str
    b: str
    score: float
    is_mutual: bool


@dataclass(frozen=True)
class _Selection:
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    ranks: npt.NDArray[np.int64]
    score: npt.NDArray[np.float32]
    mutual: npt.NDArray[np.bool_]
    parts: npt.NDArray[np.float32]


def _top_in_block(
    block: ScoreBlock, k: int, min_score: float, repeat_share: float = 1.0
) -> _Selection:
    key = np.where(
        block.allowed & (block.score >= min_score),
        block.score + _MUTUAL_BONUS * block.mutual,
        -np.inf,
    )
    n = key.shape[1]
    # Near-identical entries go after the distinct ones: look a little deeper than k.
    carriers = block.carriers
    depth = min(n, _DIVERSITY_DEPTH * k) if carriers is not None else min(n, k)
    if depth < n:
        top = np.argpartition(-key, depth - 1, axis=1)[:, :depth]
    else:
        top = np.tile(np.arange(n), (key.shape[0], 1))
    top_keys = np.take_along_axis(key, top, axis=1)
    # Equal scores in column order, so a list does not depend on the partition.
    order = np.lexsort((top, -top_keys), axis=1)
    top = np.take_along_axis(top, order, axis=1)
    top_keys = np.take_along_axis(top_keys, order, axis=1)
    if carriers is not None:
        wanted = np.arange(key.shape[0], dtype=np.int64)[:, None] * n + top
        codes, groups = carriers.resolve(n, np.sort(wanted, axis=None))
        position = np.minimum(np.searchsorted(codes, wanted), max(0, len(codes) - 1))
        known = codes[position] == wanted if len(codes) else np.zeros(top.shape, np.bool_)
        # A candidate without a matching entry is a group of its own.
        group = np.where(known, groups[position] if len(codes) else 0, -2 - top)
        # A repeat counts at a share of its score: pushed below distinct candidates
        # nearly as good, not below everyone.
        repeat = repeat_flags(group, np.isfinite(top_keys))
        scores = np.take_along_axis(block.score, top, axis=1)
        adjusted = np.where(repeat, top_keys - (1.0 - repeat_share) * scores, top_keys)
        order = np.argsort(-adjusted, axis=1, kind="stable")[:, :k]
        top = np.take_along_axis(top, order, axis=1)
        top_keys = np.take_along_axis(top_keys, order, axis=1)
    local_rows, positions = np.nonzero(np.isfinite(top_keys))
    cols = top[local_rows, positions]
    parts = np.stack(
        [getattr(block, name)[local_rows, cols] for name in COMPONENTS],
        axis=1,
    )
    return _Selection(
        rows=(local_rows + block.start).astype(np.int64),
        cols=cols.astype(np.int64),
        ranks=(positions + 1).astype(np.int64),
        score=block.score[local_rows, cols],
        mutual=block.mutual[local_rows, cols],
        parts=parts.astype(np.float32),
    )


class Matchmaker:
    """Scores a population once and answers recommendation and candidate queries."""

    def __init__(
        self,
        profiles: Sequence[ParticipantProfile],
        rules: MatchingRules | None = None,
        weights: ScoringWeights | None = None,
        labels: Mapping[str, str] | None = None,
        reason_settings: ReasonSettings | None = None,
        *,
        analyzer: Analyzer | None = None,
        outcomes: Sequence[RequestOutcome] = (),
        workers: int = 2,
    ) -> None:
        self.model = ScoreModel(profiles, rules, weights, analyzer=analyzer, outcomes=outcomes)
        self.workers = workers
        self.labels = labels
        self.reason_settings = reason_settings

    @property
    def profiles(self) -> tuple[ParticipantProfile, ...]:
        return self.model.profiles

    def _selections(self, k: int, rows: range | None = None) -> Iterator[_Selection]:
        if k < 1:
            raise InvalidRulesError("k must be at least 1")
        rows = rows if rows is not None else range(self.model.size)
        step = self.model.block_rows()
        starts = list(range(rows.start, rows.stop, step))

        def select(start: int) -> _Selection:
            block = self.model.score_block(start, min(rows.stop, start + step))
            return _top_in_block(
                block, k, self.model.weights.min_score, self.model.weights.repeat_share
            )

        # BLAS runs one thread per block, whatever the workers: its own threads would
        # compete with ours and spin (a quarter of the scoring CPU time at 5,000
        # participants), and a product split over its threads rounds some columns
        # differently, which reorders candidates tied on a signal (copies of one text): the
        # lists would depend on the number of workers.
        with threadpool_limits(limits=1, user_api="blas"):
            if self.workers < 2 or len(starts) < 2:
                yield from map(select, starts)
                return
            # numpy and scipy release the GIL in the products, partitions and reductions
            # that dominate a block, so blocks scored in threads use the machine's cores.
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                yield from pool.map(select, starts)

    def _recommendations(self, selection: _Selection) -> list[Recommendation]:
        pairs = list(zip(selection.rows.tolist(), selection.cols.tolist(), strict=True))
        components = [dict(zip(COMPONENTS, row, strict=True)) for row in selection.parts.tolist()]
        reasons = explain_pairs(
            self.model, pairs, self.labels, self.reason_settings, components=components
        )
        ids = [p.participant_id for p in self.model.profiles]
        result = []
        for number, (row, col) in enumerate(pairs):
            parts = selection.parts[number].tolist()
            result.append(
                Recommendation(
                    participant_id=ids[row],
                    candidate_id=ids[col],
                    rank=int(selection.ranks[number]),
                    score=float(selection.score[number]),
                    is_mutual=bool(selection.mutual[number]),
                    breakdown=ScoreBreakdown(*parts),
                    reasons=reasons[number],
                )
            )
        return result

    def recommend(self, k: int = 10) -> dict[str, list[Recommendation]]:
        """Top-k for every participant (an empty list for those nobody may meet)."""
        result: dict[str, list[Recommendation]] = {
            p.participant_id: [] for p in self.model.profiles
        }
        for selection in self._selections(k):
            for recommendation in self._recommendations(selection):
                result[recommendation.participant_id].append(recommendation)
        return result

    def update_profile(self, profile: ParticipantProfile) -> None:
        """Take one edited profile into account (see :meth:`ScoreModel.update`); the
        edited person's next :meth:`recommend_for` reflects it."""
        self.model.update(profile)

    def recommend_for(self, participant_id: str, k: int = 10) -> list[Recommendation]:
        row = self.model.row_of(participant_id)
        result: list[Recommendation] = []
        for selection in self._selections(k, range(row, row + 1)):
            result.extend(self._recommendations(selection))
        return result

    def top_candidates(self, k: int) -> dict[str, list[str]]:
        """Ids only, without reasons: what a benchmark or a solver needs."""
        ids = [p.participant_id for p in self.model.profiles]
        result: dict[str, list[str]] = {i: [] for i in ids}
        for selection in self._selections(k):
            for row, col in zip(selection.rows.tolist(), selection.cols.tolist(), strict=True):
                result[ids[row]].append(ids[col])
        return result

    def candidate_pairs(self, per_participant: int) -> list[CandidatePair]:
        """Union of every participant's top candidates, each unordered pair once."""
        ids = [p.participant_id for p in self.model.profiles]
        seen: dict[tuple[int, int], CandidatePair] = {}
        for selection in self._selections(per_participant):
            for row, col, score, mutual in zip(
                selection.rows.tolist(),
                selection.cols.tolist(),
                selection.score.tolist(),
                selection.mutual.tolist(),
                strict=True,
            ):
                key = (min(row, col), max(row, col))
                known = seen.get(key)
                if known is None or known.score < score:
                    first, second = sorted((ids[row], ids[col]))
                    seen[key] = CandidatePair(
                        first,
                        second,
                        float(score),
                        bool(mutual) or (known is not None and known.is_mutual),
                    )
        return list(seen.values())

    def explain(self, participant_id: str, candidate_id: str) -> tuple[Reason, ...]:
        """Reasons for any pair, also one the rules forbid (useful to answer "why not?")."""
        return self.explain_many([(participant_id, candidate_id)])[0]

    def explain_many(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[Reason, ...]]:
        """Reasons for many (viewer, candidate) pairs in one vectorised pass."""
        rows = [(self.model.row_of(v), self.model.row_of(c)) for v, c in pairs]
        return explain_pairs(self.model, rows, self.labels, self.reason_settings)

    def allowed_pair_count(self) -> int:
        return self.model.count_allowed_pairs()


def recommend(
    profiles: Sequence[ParticipantProfile],
    rules: MatchingRules | None = None,
    k: int = 10,
    *,
    weights: ScoringWeights | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, list[Recommendation]]:
    """Top-k recommendations for every participant: mutual interest first, then by score."""
    return Matchmaker(profiles, rules, weights, labels).recommend(k)


def recommend_for(
    profiles: Sequence[ParticipantProfile],
    participant_id: str,
    rules: MatchingRules | None = None,
    k: int = 10,
    *,
    weights: ScoringWeights | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[Recommendation]:
    """Top-k recommendations for one participant."""
    return Matchmaker(profiles, rules, weights, labels).recommend_for(participant_id, k)
