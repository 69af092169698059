from __future__ import annotations

import json

from click.testing import CliRunner

from api.cli.matching import bench_matching
from matchmaking.bench import run_matching_bench


def test_recall_of_planted_pairs_is_high_on_a_small_population() -> None:
    result = run_matching_bench(n_participants=400, seed=11, k=10, repeats=1)
    assert result["participants"] == 400
    assert result["planted_pairs"] == 80
    assert result["recall_requester"] >= 0.85
    assert result["recall_either"] >= result["recall_requester"] >= result["recall_both"]
    assert result["with_reasons"] == result["recommendations"]


def test_cli_prints_json() -> None:
    outcome = CliRunner().invoke(
        bench_matching,
        ["--participants", "150", "--seed", "2", "--k", "5", "--repeats", "1", "--json"],
    )
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.output)
    assert report["participants"] == 150 and report["k"] == 5
    assert 0.0 <= report["recall_both"] <= 1.0
    assert bench_matching.name == "matching"
