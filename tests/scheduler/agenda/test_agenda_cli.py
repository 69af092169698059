"""Smoke tests of the agenda commands through click's runner."""

import json

from click.testing import CliRunner

from api.cli.agenda import bench_agenda, solve_agenda
from scheduler.agenda import CoAttendance, Weights
from scheduler.agenda.json_format import dump_instance


def write_instance(tmp_path, make_instance, make_session):
    sessions = (make_session("a", speakers=("ann",)), make_session("b", speakers=("ann",)))
    instance = make_instance(
        sessions,
        slots_per_day=2,
        co_attendance=(CoAttendance("a", "b", 3),),
        weights=Weights(1, 0, 0, 0, 0, 0),
    )
    path = tmp_path / "agenda.json"
    dump_instance(instance, path)
    return path


def test_solve_prints_a_summary(tmp_path, make_instance, make_session):
    path = write_instance(tmp_path, make_instance, make_session)
    result = CliRunner().invoke(solve_agenda, [str(path), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "status: optimal" in result.output
    assert "objective: 0" in result.output


def test_solve_prints_json(tmp_path, make_instance, make_session):
    path = write_instance(tmp_path, make_instance, make_session)
    result = CliRunner().invoke(solve_agenda, [str(path), "--json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "optimal"
    assert len(data["placements"]) == 2


def test_bad_instance_is_a_clear_message(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"grid": {"days": ["d"], "slot_minutes": 30}}))
    result = CliRunner().invoke(solve_agenda, [str(path)])
    assert result.exit_code == 1
    assert "grid.slots_per_day" in result.output
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(solve_agenda, [str(tmp_path / "none.json")])
    assert missing.exit_code == 1
    assert "cannot read" in missing.output


def test_bench_runs_both_solvers(monkeypatch):
    import benchkit.agenda.peer_benchmark as bench

    calls = []

    def fake(**kwargs):
        calls.append(kwargs)
        return [
            {
                "instance": "x",
                "solver": bench.OURS,
                "status": "optimal",
                "objective": 1,
                "seconds": 0.1,
                "valid": True,
            }
        ]

    monkeypatch.setattr(bench, "run_agenda_bench", fake)
    result = CliRunner().invoke(bench_agenda, ["--time-limit", "3", "--seed", "4", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["objective"] == 1
    assert calls[0]["seed"] == 4 and calls[0]["time_limit_s"] == 3


def test_bench_on_a_reduced_instance():
    result = CliRunner().invoke(bench_agenda, ["--time-limit", "20", "--talks", "20"])
    assert result.exit_code == 0, result.output
    assert result.output.count("valid") >= 4
