"""Matching benchmark on a synthetic population: speed and recall of planted pairs.

Recall@k of planted pairs (requester R, offerer O), and MRR@k (mean of 1/rank of O in R's
top k, 0 when absent), with a plain TF-IDF baseline (request text against offer text)
computed on the same population:
- ``recall_both``: O is in R's top k *and* R is in O's top k (the headline figure: both
  people would see each other);
- ``recall_requester``: O is in R's top k (the side that asked finds the answer);
- ``recall_offerer``: R is in O's top k;
- ``recall_either``: at least one of the two.
"""

from __future__ import annotations

import statistics
import time

from benchkit.matching.baselines import tfidf_top
from benchkit.matching.synthetic import generate_population
from matchmaking.errors import InvalidRulesError
from matchmaking.recommend import Matchmaker


def run_matching_bench(
    n_participants: int = 5000, seed: int = 7, k: int = 10, repeats: int = 3
) -> dict[str, object]:
    """Seconds to score and recommend (with reasons) for everybody, median of ``repeats``."""
    if repeats < 1 or k < 1 or n_participants < 2:
        raise InvalidRulesError("repeats >= 1, k >= 1 and n_participants >= 2 are required")
    started = time.perf_counter()
    population = generate_population(n_participants, seed)
    generate_seconds = time.perf_counter() - started
    labels = population.taxonomy.labels()
    timings: list[float] = []
    cpu_timings: list[float] = []
    model_timings: list[float] = []
    recommendations = {}
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        matchmaker = Matchmaker(population.profiles, labels=labels)
        model_timings.append(time.perf_counter() - started)
        recommendations = matchmaker.recommend(k)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    top = {pid: {r.candidate_id for r in recs} for pid, recs in recommendations.items()}
    ranked = {pid: [r.candidate_id for r in recs] for pid, recs in recommendations.items()}
    planted = population.planted_pairs
    ids = [p.participant_id for p in population.profiles]
    baseline = {
        ids[i]: [ids[j] for j in row] for i, row in enumerate(tfidf_top(population.profiles, k))
    }
    requester_side = [p.offerer_id in top[p.requester_id] for p in planted]
    offerer_side = [p.requester_id in top[p.offerer_id] for p in planted]
    count = max(1, len(planted))
    first_reason = [
        recs[0].reasons[0].kind.value
        for recs in recommendations.values()
        if recs and recs[0].reasons
    ]
    return {
        "participants": len(population.participants),
        "organisations": len(population.organisations),
        "seed": seed,
        "k": k,
        "repeats": repeats,
        "allowed_pairs": matchmaker.allowed_pair_count(),
        "generate_seconds": round(generate_seconds, 3),
        "model_seconds": round(statistics.median(model_timings), 3),
        "recommend_seconds": round(statistics.median(timings), 3),
        "recommend_cpu_seconds": round(statistics.median(cpu_timings), 3),
        "recommendations": sum(len(r) for r in recommendations.values()),
        "with_reasons": sum(bool(r.reasons) for recs in recommendations.values() for r in recs),
        "planted_pairs": len(planted),
        "recall_both": round(
            sum(a and b for a, b in zip(requester_side, offerer_side, strict=True)) / count, 4
        ),
        "recall_requester": round(sum(requester_side) / count, 4),
        "recall_offerer": round(sum(offerer_side) / count, 4),
        "recall_either": round(
            sum(a or b for a, b in zip(requester_side, offerer_side, strict=True)) / count, 4
        ),
        "mrr_requester": _mrr([(p.requester_id, p.offerer_id) for p in planted], ranked, k),
        "baseline_tfidf_recall_requester": round(
            sum(p.offerer_id in baseline[p.requester_id] for p in planted) / count, 4
        ),
        "baseline_tfidf_mrr_requester": _mrr(
            [(p.requester_id, p.offerer_id) for p in planted], baseline, k
        ),
        "top_reason_offer_matches_request": round(
            first_reason.count("offer_matches_request") / max(1, len(first_reason)), 4
        ),
    }


def _mrr(pairs: list[tuple[str, str]], ranked: dict[str, list[str]], k: int) -> float:
    """Mean of 1/rank of the answer in the asker's top ``k`` (0 when it is not there)."""
    total = 0.0
    for asker, answer in pairs:
        shown = ranked.get(asker, [])[:k]
        if answer in shown:
            total += 1.0 / (shown.index(answer) + 1)
    return round(total / max(1, len(pairs)), 4)
