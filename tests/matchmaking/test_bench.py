from __future__ import annotations

import json

from click.testing import CliRunner

from api.cli.matching import bench_matching
from benchkit.matching.bench import run_matching_bench
from benchkit.matching.realistic import build_event, load_needs, shares_keyword
from benchkit.matching.realistic_bench import run_realistic_bench


def test_recall_of_planted_pairs_is_high_on_a_small_population() -> None:
    result = run_matching_bench(n_participants=400, seed=11, k=10, repeats=1)
    assert result["participants"] == 400
    assert result["planted_pairs"] == 80
    assert result["recall_requester"] >= 0.85
    assert result["recall_either"] >= result["recall_requester"] >= result["recall_both"]
    assert result["with_reasons"] == result["recommendations"]
    assert 0.0 < result["mrr_requester"] <= result["recall_requester"]


def test_the_realistic_set_is_what_the_issue_asks_for() -> None:
    needs = load_needs()
    assert len(needs) >= 50
    assert all(len(n.requests) >= 2 and len(n.offers) >= 2 and n.decoys for n in needs)
    combinations = [(r, o) for n in needs for r in n.requests for o in n.offers]
    without = sum(not shares_keyword(r, o) for r, o in combinations)
    assert without >= len(combinations) / 3


def test_a_realistic_event_has_the_size_asked_and_multi_person_organisations() -> None:
    event = build_event(700, seed=3)
    assert len(event.profiles) == 700
    organisations = [p.organisation_id for p in event.profiles]
    assert len(set(organisations)) < len(organisations)
    assert any(not p.opportunities for p in event.profiles)
    ids = {p.participant_id for p in event.profiles}
    assert all(p.requester_id in ids and p.offerer_id in ids for p in event.pairs)


def test_recommender_beats_the_baselines_on_a_small_realistic_event() -> None:
    result = run_realistic_bench(600, seed=5, k=10, repeats=1, ablations=False)
    ours = result["clustermeet"]
    assert isinstance(ours, dict)
    for baseline in ("baseline_tfidf", "baseline_vectors"):
        other = result[baseline]
        assert isinstance(other, dict)
        assert ours["recall"] > other["recall"]
    assert result["reasons_not_backed_by_score"] == 0


def test_cli_prints_json_for_both_sets() -> None:
    outcome = CliRunner().invoke(
        bench_matching,
        ["--participants", "450", "--seed", "2", "--k", "5", "--no-ablations", "--json"],
    )
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.output)
    assert report["synthetic"]["participants"] == 450 and report["synthetic"]["k"] == 5
    assert report["realistic"]["participants"] == 450
    assert 0.0 <= report["realistic"]["clustermeet"]["mrr"] <= 1.0
    assert bench_matching.name == "matching"
