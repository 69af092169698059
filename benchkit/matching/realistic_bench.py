"""Recall@10 and MRR@10 of planted answers on the realistic set, against simple baselines.

For every planted pair (requester R, offerer O): ``recall`` counts O in R's top k, ``mrr``
adds 1/rank of O when it is there (0 otherwise). Reported for every pair, for the pairs
whose two wordings share no distinctive word, and for the pairs with a wording in another
language; the baselines (:mod:`benchkit.matching.baselines`) and the recommender's own
ablations run on the same event in the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from benchkit.matching.baselines import tfidf_top, vectors_top
from benchkit.matching.realistic import EvalPair, build_event
from matchmaking.errors import InvalidRulesError
from matchmaking.feedback import RequestOutcome
from matchmaking.profiles import ParticipantProfile
from matchmaking.reasons import BACKING, ReasonKind
from matchmaking.recommend import Matchmaker
from matchmaking.scoring import ScoringWeights
from matchmaking.text import Analyzer, empty_lexicon
from matchmaking.vectors import default_embeddings


def _metrics(
    pairs: Sequence[EvalPair], top: dict[str, list[str]], k: int
) -> dict[str, float | int]:
    def score(subset: Sequence[EvalPair]) -> tuple[float, float]:
        if not subset:
            return 0.0, 0.0
        hits, reciprocal = 0, 0.0
        for pair in subset:
            ranked = top.get(pair.requester_id, [])[:k]
            if pair.offerer_id in ranked:
                hits += 1
                reciprocal += 1.0 / (ranked.index(pair.offerer_id) + 1)
        return round(hits / len(subset), 4), round(reciprocal / len(subset), 4)

    recall, mrr = score(pairs)
    no_keyword = [p for p in pairs if not p.shares_keyword]
    foreign = [p for p in pairs if p.is_foreign]
    recall_nk, mrr_nk = score(no_keyword)
    recall_foreign, _ = score(foreign)
    return {
        "recall": recall,
        "mrr": mrr,
        "recall_no_shared_keyword": recall_nk,
        "mrr_no_shared_keyword": mrr_nk,
        "recall_other_language": recall_foreign,
    }


def _by_index(
    profiles: Sequence[ParticipantProfile], rows: list[list[int]]
) -> dict[str, list[str]]:
    ids = [p.participant_id for p in profiles]
    return {ids[i]: [ids[j] for j in row] for i, row in enumerate(rows)}


def _ablation(
    profiles: Sequence[ParticipantProfile], k: int, **changes: object
) -> dict[str, list[str]]:
    analyzer = Analyzer(empty_lexicon()) if changes.pop("no_lexicon", False) else None
    weights = replace(ScoringWeights(), **changes)  # type: ignore[arg-type]
    return Matchmaker(profiles, weights=weights, analyzer=analyzer).top_candidates(k)


def run_realistic_bench(
    n_participants: int = 5000,
    seed: int = 7,
    k: int = 10,
    repeats: int = 1,
    ablations: bool = True,
) -> dict[str, object]:
    """Quality of the recommender and the baselines on one realistic event, and its speed."""
    if repeats < 1 or k < 1:
        raise InvalidRulesError("repeats >= 1 and k >= 1 are required")
    event = build_event(n_participants, seed)
    profiles = event.profiles
    started = time.perf_counter()
    default_embeddings()
    load_seconds = time.perf_counter() - started
    timings: list[float] = []
    cpu: list[float] = []
    recommendations = {}
    matchmaker = None
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        matchmaker = Matchmaker(profiles)
        recommendations = matchmaker.recommend(k)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    assert matchmaker is not None
    edits = _edit_timings(matchmaker, profiles, k)
    top = {pid: [r.candidate_id for r in recs] for pid, recs in recommendations.items()}
    unbacked = sum(
        1
        for recs in recommendations.values()
        for r in recs
        for reason in r.reasons
        if r.breakdown.to_dict()[_backing(reason.kind.value)] <= 0
    )
    result: dict[str, object] = {
        "set": "realistic",
        "participants": len(profiles),
        "needs": event.needs,
        "planted_pairs": len(event.pairs),
        "pairs_without_shared_keyword": sum(not p.shares_keyword for p in event.pairs),
        "pairs_with_other_language": sum(p.is_foreign for p in event.pairs),
        "seed": seed,
        "k": k,
        "vectors_load_seconds": round(load_seconds, 3),
        "recommend_seconds": round(statistics.median(timings), 3),
        "recommend_cpu_seconds": round(statistics.median(cpu), 3),
        "edit_rerank_ms_median": round(1000 * statistics.median(edits), 1),
        "edit_rerank_ms_max": round(1000 * max(edits), 1),
        "reasons_not_backed_by_score": unbacked,
        "clustermeet": _metrics(event.pairs, top, k),
        "baseline_tfidf": _metrics(event.pairs, _by_index(profiles, tfidf_top(profiles, k)), k),
        "baseline_vectors": _metrics(event.pairs, _by_index(profiles, vectors_top(profiles, k)), k),
    }
    result["feedback"] = _feedback_effect(profiles, event.pairs, top, k)
    if ablations:
        variants: dict[str, Callable[[], dict[str, list[str]]]] = {
            "lexical_only": lambda: _ablation(profiles, k, semantic=0.0, profile_semantic=0.0),
            "vectors_only": lambda: _ablation(profiles, k, lexical=0.0, profile_lexical=0.0),
            "no_lexicon": lambda: _ablation(profiles, k, no_lexicon=True),
            "no_duplicate_handling": lambda: _ablation(
                profiles, k, repeats_last=False, repeat_share=1.0
            ),
            "repeats_not_last_in_signals": lambda: _ablation(profiles, k, repeats_last=False),
            "no_distinct_lists": lambda: _ablation(profiles, k, repeat_share=1.0),
        }
        result["ablations"] = {
            name: _metrics(event.pairs, run(), k) for name, run in variants.items()
        }
    return result


def _edit_timings(
    matchmaker: Matchmaker, profiles: Sequence[ParticipantProfile], k: int
) -> list[float]:
    """Seconds to take an edited profile into account and re-rank it, for ten people."""
    step = max(1, len(profiles) // 10)
    timings: list[float] = []
    for row in range(0, len(profiles), step)[:10]:
        profile = profiles[row]
        edited = replace(
            profile, description=f"{profile.description} We also advise on energy audits."
        )
        started = time.perf_counter()
        matchmaker.update_profile(edited)
        matchmaker.recommend_for(edited.participant_id, k)
        timings.append(time.perf_counter() - started)
        matchmaker.update_profile(profile)
    return timings


def _feedback_effect(
    profiles: Sequence[ParticipantProfile],
    pairs: Sequence[EvalPair],
    top: dict[str, list[str]],
    k: int,
) -> dict[str, object]:
    """Recall of the later pairs of each need, before and after the first pairs' outcomes.

    The first planted pair of every need is taken as a request that was accepted; each of
    those requesters also declined their top recommendation when it was not the answer.
    The other planted pairs of the same needs (other wordings, other people) are scored
    again with those outcomes: what the event learned should lift their answers.
    """
    first: dict[str, EvalPair] = {}
    later: list[EvalPair] = []
    for pair in pairs:
        if pair.need_id in first:
            later.append(pair)
        else:
            first[pair.need_id] = pair
    outcomes = [RequestOutcome(p.requester_id, p.offerer_id, True) for p in first.values()]
    for pair in first.values():
        shown = top.get(pair.requester_id, [])
        if shown and shown[0] != pair.offerer_id:
            outcomes.append(RequestOutcome(pair.requester_id, shown[0], False))
    after = Matchmaker(profiles, outcomes=outcomes).top_candidates(k)
    return {
        "accepted": sum(o.accepted for o in outcomes),
        "declined": sum(not o.accepted for o in outcomes),
        "evaluated_pairs": len(later),
        "recall_before": _metrics(later, top, k)["recall"],
        "recall_after": _metrics(later, after, k)["recall"],
    }


def _backing(kind: str) -> str:
    return BACKING[ReasonKind(kind)]
