"""`clustermeet bench b2b` beside the paper's MaxSAT times, and `clustermeet bench crafted`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from api.cli.crafted import bench_crafted
from api.cli.meetings import bench_b2b
from benchkit.data import b2b_instances_dir, b2b_reference_csv

BENCH = b2b_instances_dir()


def _one_instance(tmp_path: Path, with_reference: bool) -> Path:
    folder = tmp_path / "instances"
    folder.mkdir()
    name = "tic-12.original.dzn"
    (folder / name).write_text((BENCH / name).read_text())
    if with_reference:
        (tmp_path / "reference-results-d2.csv").write_text(b2b_reference_csv().read_text())
    return folder


def test_bench_b2b_reports_the_paper_time_and_ratio(tmp_path: Path) -> None:
    folder = _one_instance(tmp_path, with_reference=True)
    result = CliRunner().invoke(bench_b2b, [str(folder), "--time-limit", "30"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output.strip())
    assert row["status"] == "optimal" and row["valid"] is True
    assert row["reference"] == 0 and row["objective"] == 0
    assert row["paper_maxsat_s"] == 0.1
    # Both are printed rounded to 0.01; the ratio is taken before rounding.
    low, high = 0.1 / (row["seconds"] + 0.005), 0.1 / max(row["seconds"] - 0.005, 1e-9)
    assert low - 0.01 <= row["paper_ratio"] <= high + 0.01
    # tic-12's optimum is 0: the SAT search for a schedule without breaks finds it.
    assert row["solver"] == "sat"


def test_bench_b2b_without_reference_has_no_ratio(tmp_path: Path) -> None:
    folder = _one_instance(tmp_path, with_reference=False)
    for engines in (["--no-maxsat"], ["--no-maxsat", "--no-few-breaks"]):
        result = CliRunner().invoke(bench_b2b, [str(folder), "--time-limit", "30", *engines])
        assert result.exit_code == 0, result.output
        row = json.loads(result.output.strip())
        assert "paper_ratio" not in row and row["solver"] == "sat"


def test_bench_crafted_one_variant(tmp_path: Path) -> None:
    folder = _one_instance(tmp_path, with_reference=False)
    args = [str(folder), "--time-limit", "30", "--only", "fixed-20"]
    result = CliRunner().invoke(bench_crafted, args)
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    row = json.loads(line)
    assert row["instance"] == "tic-12+fixed-20" and row["family"] == "fixed"
    assert row["resolved"] is (row["status"] in ("optimal", "infeasible"))
    if row["status"] == "optimal":
        assert row["valid"] is True


def test_bench_crafted_rejects_a_folder_without_instances(tmp_path: Path) -> None:
    result = CliRunner().invoke(bench_crafted, [str(tmp_path)])
    assert result.exit_code != 0 and "no .dzn files" in result.output
