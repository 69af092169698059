import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli.meetings import (
    bench_b2b,
    bench_hosted,
    bench_on_the_day,
    bench_oversubscribed,
    bench_scale,
    bench_validity,
    solve_meetings,
)
from benchkit.data import b2b_instances_dir
from benchkit.meetings import validity
from benchkit.meetings.bench import _scale_row, reference_times
from scheduler.meetings import Status, validate
from scheduler.meetings.json_format import write_json
from scheduler.meetings.schedule_result import build_result

from .conftest import MakeInstance

BENCH = b2b_instances_dir()


def test_solve_json_instance_prints_summary(make_instance: MakeInstance, tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    write_json(make_instance([("a", "b"), ("a", "c")], n_slots=3, name="tiny"), path)
    result = CliRunner().invoke(solve_meetings, [str(path), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "status: optimal" in result.output
    assert "breaks: 0" in result.output


def test_solve_json_output(make_instance: MakeInstance, tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    write_json(make_instance([("a", "b"), ("a", "c")], n_slots=3), path)
    result = CliRunner().invoke(solve_meetings, [str(path), "--json", "--fairness", "none"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "optimal"
    assert data["objective"] == 0
    assert set(data["assignments"]) == {"m1", "m2"}


def test_solve_dzn_file() -> None:
    result = CliRunner().invoke(
        solve_meetings, [str(BENCH / "tic-12.original.dzn"), "--time-limit", "30", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["objective"] == 0


def test_bad_files_give_clear_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(solve_meetings, [str(tmp_path / "nope.json")])
    assert missing.exit_code != 0 and "cannot read" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    bad_json = runner.invoke(solve_meetings, [str(broken)])
    assert bad_json.exit_code != 0 and "not valid JSON" in bad_json.output
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps({"slots": {"count": 2}, "participants": [{"id": 1}], "meetings": []})
    )
    bad_field = runner.invoke(solve_meetings, [str(wrong)])
    assert bad_field.exit_code != 0 and "participants[0].id" in bad_field.output
    txt = tmp_path / "x.txt"
    txt.write_text("")
    assert "expected a .dzn or .json" in runner.invoke(solve_meetings, [str(txt)]).output
    fairness = runner.invoke(solve_meetings, [str(wrong), "--fairness", "-3"])
    assert fairness.exit_code != 0 and "Traceback" not in fairness.output


def test_bench_b2b_prints_one_json_line_per_instance(tmp_path: Path) -> None:
    (tmp_path / "tic-12.original.dzn").write_text((BENCH / "tic-12.original.dzn").read_text())
    result = CliRunner().invoke(bench_b2b, [str(tmp_path), "--time-limit", "30"])
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    row = json.loads(line)
    assert {
        "instance",
        "status",
        "objective",
        "bound",
        "seconds",
        "participants",
        "meetings",
    } <= set(row)
    assert row["instance"] == "tic-12" and row["status"] == "optimal"


def test_bench_b2b_knows_the_papers_times() -> None:
    if not BENCH.exists():
        pytest.skip("benchmark instances not available")
    times = reference_times(BENCH)
    assert times["tic-13crafc"] == 5.8 and times["forum-13"] == 2.5


def test_bench_b2b_rejects_empty_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(bench_b2b, [str(tmp_path)])
    assert result.exit_code != 0 and "no .dzn files" in result.output


def test_bench_scale_small(tmp_path: Path) -> None:
    # The wiring, not the quality: every solve returns its best schedule at its limit.
    result = CliRunner().invoke(bench_scale, ["--sizes", "40", "--time-limit", "1", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [r["solver"] for r in rows] == ["fcfs-baseline", "clustermeet"]
    assert all(r["valid"] for r in rows)


def test_bench_scale_resolve_reports_moves() -> None:
    args = ["--sizes", "40", "--time-limit", "1", "--resolve", "--json"]
    result = CliRunner().invoke(bench_scale, args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [r["solver"] for r in rows] == ["fcfs-baseline", "clustermeet", "clustermeet-resolve"]
    again = rows[2]
    assert again["valid"]
    assert again["new"] >= 1 and 0 <= again["new_scheduled"] <= again["new"]
    assert 0 <= again["moves"] <= rows[1]["scheduled"]


def _rows(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.strip().splitlines()]


def test_bench_hosted_small() -> None:
    result = CliRunner().invoke(bench_hosted, ["--sizes", "16", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    fcfs, ours = _rows(result.output)
    assert (fcfs["solver"], ours["solver"]) == ("fcfs-baseline", "clustermeet")
    # A 0-break schedule exists by construction; the exact model proves it.
    assert ours["status"] == "optimal" and ours["breaks"] == 0 and ours["valid"]
    assert ours["scheduled"] == ours["meetings"] and ours["breaks_per_100"] == 0


def test_bench_hosted_with_longer_windows() -> None:
    default = _rows(CliRunner().invoke(bench_hosted, ["--sizes", "40", "--time-limit", "5"]).output)
    longer = CliRunner().invoke(
        bench_hosted, ["--sizes", "40", "--time-limit", "5", "--windows", "8-16"]
    )
    assert longer.exit_code == 0, longer.output
    fcfs, ours = _rows(longer.output)
    assert fcfs["meetings"] == ours["meetings"] > default[1]["meetings"]
    assert ours["valid"] and ours["scheduled"] == ours["meetings"]


@pytest.mark.parametrize("windows", ["8", "a-b", "9-3", "0-4", "4-30"])
def test_bench_hosted_refuses_windows_it_cannot_draw(windows: str) -> None:
    result = CliRunner().invoke(bench_hosted, ["--sizes", "40", "--windows", windows])
    assert result.exit_code == 2
    assert "--windows" in result.output and "Traceback" not in result.output


def test_an_invalid_schedule_s_bench_row_names_its_violations(
    make_instance: MakeInstance,
) -> None:
    """A bench row says why a schedule is invalid, so a rare failure in a long run can be
    read from its output alone."""
    hosts = "adgj"
    inst = make_instance([(h, h + v) for h in hosts for v in "xy"], n_slots=2, tables=8)
    both_at_once = {meeting.id: 0 for meeting in inst.meetings}  # each host booked twice
    result = build_result(inst, Status.FEASIBLE, both_at_once, 0.1)
    found = validate(inst, result)
    assert len(found) > 3
    row = _scale_row(12, "clustermeet", 8, result, found)
    assert row["valid"] is False
    assert row["violations"] == [f"{v.kind}: {v.message}" for v in found[:3]]
    fine = build_result(
        inst, Status.FEASIBLE, {m.id: k % 2 for k, m in enumerate(inst.meetings)}, 0.1
    )
    assert validate(inst, fine) == []
    assert "violations" not in _scale_row(12, "clustermeet", 8, fine, [])


def test_bench_oversubscribed_small() -> None:
    args = ["--participants", "30", "--requests", "80", "--time-limit", "1"]
    result = CliRunner().invoke(bench_oversubscribed, args)
    assert result.exit_code == 0, result.output
    fcfs, ours = _rows(result.output)
    assert ours["valid"] and fcfs["valid"]
    bound = ours["weight_bound"]
    assert isinstance(bound, int)
    assert fcfs["scheduled_weight"] <= bound and ours["scheduled_weight"] <= bound


def test_bench_oversubscribed_rejects_impossible_sizes() -> None:
    args = ["--participants", "4", "--requests", "100"]
    result = CliRunner().invoke(bench_oversubscribed, args)
    assert result.exit_code != 0 and "n_requests" in result.output


def test_bench_on_the_day_small() -> None:
    args = ["--participants", "40", "--meetings", "40", "--changes", "1"]
    args += ["--time-limit", "1", "--publish-time-limit", "1"]
    result = CliRunner().invoke(bench_on_the_day, args)
    assert result.exit_code == 0, result.output
    publish, cancel, late = _rows(result.output)
    assert publish["change"] == "publish" and publish["valid"]
    assert str(cancel["change"]).startswith("cancel") and cancel["valid"]
    assert cancel["moves"] == 0
    assert str(late["change"]).startswith("late") and late["valid"]


def test_bench_validity_small() -> None:
    """Every family in every mode and on both paths, on 16 participants: all valid."""
    args = ["--sizes", "16", "--seeds", "0", "--hosted", "0", "--oversubscribed", "0"]
    result = CliRunner().invoke(bench_validity, [*args, "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output
    *rows, summary = _rows(result.output)
    # 4 fairness bounds, 6 crafted variants and a re-solve in 3 modes, 3 cut events strict;
    # 2 paths each.
    assert summary == {"solves": 2 * (11 * 3 + 3), "invalid": 0}
    assert len(rows) == summary["solves"] and all(row["valid"] for row in rows)
    cases = {str(row["case"]) for row in rows}
    assert {"event16-s0-d0", "event16-s0+fixed-40", "cut16-s0-d1", "resolve16-s0"} <= cases
    assert {(row["mode"], row["path"]) for row in rows} == {
        (mode, path) for mode in ("strict", "lenient", "event") for path in ("default", "large")
    }


def test_bench_validity_fails_on_an_invalid_result(
    make_instance: MakeInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    inst = make_instance([("a", "b"), ("a", "c")], n_slots=3)
    booked_twice = build_result(inst, Status.FEASIBLE, {"m1": 0, "m2": 0}, 0.0)
    monkeypatch.setattr(validity, "validity_cases", lambda *args: iter([("tiny", inst, (False,))]))
    monkeypatch.setattr(validity, "solve", lambda instance, options: booked_twice)
    result = CliRunner().invoke(bench_validity, ["--sizes", "16"])
    assert result.exit_code == 1
    *rows, _summary = _rows(result.output.split("Error:")[0])
    assert not rows[0]["valid"]
    assert any("double_booking" in v for v in rows[0]["violations"])  # type: ignore[union-attr]
    assert "2 invalid results" in result.output


@pytest.mark.parametrize(
    ("args", "named"),
    [(["--seeds", "x"], "--seeds"), (["--hosted", "2"], "--hosted"), (["--sizes", "1"], "--sizes")],
)
def test_bench_validity_names_a_bad_option(args: list[str], named: str) -> None:
    result = CliRunner().invoke(bench_validity, args)
    assert result.exit_code == 2
    assert named in result.output
