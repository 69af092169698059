"""Each kind of event, built and run like an organiser would, passes the organiser's checks.

Small sizes and short time limits: these are correctness tests, not benchmarks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from api.cli import cli
from api.demo.scenarios import SCENARIOS, run_scenario
from api.extensions import db
from api.models import Meeting, MeetingPlacement, Participant

# An upper bound, not a target: these small scenarios prove optimality well within it
# (the agendas' first-fit start costs nothing), so a busy machine does not turn them red.
LIMIT_S = 60.0


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_runs_and_passes_the_organisers_checks(sqlite_app: Flask, name: str) -> None:
    run = run_scenario(name, 40, seed=3, time_limit=LIMIT_S, workers=1)
    scenario = run.built.scenario
    assert run.check.problems == []
    counts = run.check.counts
    assert counts["participants"] == 40
    if scenario.sessions:
        assert counts["sessions_placed"] == counts["sessions"] == len(scenario.sessions)
    if scenario.matchmaking:
        assert counts["meetings"] > 0
        assert counts["meetings_scheduled"] > 0
        scheduled = counts["meetings_scheduled"] + counts["meetings_unscheduled"]
        assert scheduled == counts["meetings"]
    else:
        assert counts["meetings"] == 0


@pytest.mark.slow
def test_eu_taiwan_meets_only_across_eu_and_taiwan_and_online_in_taipei(
    sqlite_app: Flask,
) -> None:
    run = run_scenario("eu-taiwan", 40, seed=4, time_limit=60, workers=1)
    assert run.check.problems == []
    placements = list(db.session.scalars(select(MeetingPlacement)))
    assert placements
    for placement in placements:
        meeting = db.session.get(Meeting, placement.meeting_id)
        assert meeting is not None
        a, b = meeting.participant_a, meeting.participant_b
        assert sorted((a.organisation.country == "TW", b.organisation.country == "TW")) == [
            False,
            True,
        ]
        taiwanese = a if a.organisation.country == "TW" else b
        assert taiwanese.timezone == "Asia/Taipei"
        assert placement.table_id is None
        assert placement.online_url and "{" not in placement.online_url
    taipei = db.session.scalars(select(Participant).where(Participant.timezone == "Asia/Taipei"))
    assert all(p.attendance == "online" for p in taipei)


def test_clusters_talk_fits_its_75_minutes(sqlite_app: Flask) -> None:
    run = run_scenario("clusters-talk", 25, seed=1, time_limit=60, workers=1)
    assert run.check.problems == []
    assert run.check.counts["sessions_placed"] == 4


@pytest.mark.slow
def test_the_demo_command_runs_a_scenario_and_writes_its_outputs(
    sqlite_app: Flask, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = sqlite_app.test_cli_runner().invoke(
        cli,
        [
            "demo",
            "--scenario",
            "clusters-talk",
            "--participants",
            "20",
            "--out",
            str(out),
            "--time-limit",
            "60",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "All checks hold" in result.output
    assert (out / "agenda.frab.json").is_file()
    assert list((out / "ical").glob("*.ics"))
    assert "not written" not in result.output


def test_an_unknown_scenario_is_refused_with_the_list(sqlite_app: Flask) -> None:
    result = sqlite_app.test_cli_runner().invoke(cli, ["demo", "--scenario", "gala-dinner"])
    assert result.exit_code == 2
    assert "eu-taiwan" in result.output
