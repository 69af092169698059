from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from api.accounts.tokens import hash_secret
from api.cli import cli
from api.extensions import db
from api.models import ApiKey, Organiser, Participant

CSV = (
    "first_name,last_name,email,organisation,organisation_type,country\n"
    "Jan,Nowak,jan@example.pl,Silesian Cluster,cluster_organisation,PL\n"
)


def _run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, args=list(args))


def test_organiser_create_prints_key_once_and_stores_hash(app: Flask) -> None:
    result = _run(app, "organiser", "create", "Team")
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("cmo_")
    stored = db.session.scalar(select(ApiKey))
    assert stored is not None
    assert key not in stored.key_hash
    assert stored.key_hash == hash_secret(key)
    owner = db.session.get(Organiser, stored.organiser_id)
    assert owner is not None and owner.name == "Team"


def test_import_participants_command(app: Flask, tmp_path: Path, event_factory: Any) -> None:
    event = event_factory()
    good = tmp_path / "people.csv"
    good.write_text(CSV)
    tokens = tmp_path / "tokens.csv"
    result = _run(
        app,
        "import",
        "participants",
        str(good),
        "--event",
        event["slug"],
        "--tokens-out",
        str(tokens),
    )
    assert result.exit_code == 0, result.output
    assert "Imported 1 participants" in result.output
    assert "cmp_" in tokens.read_text()


def test_import_reports_bad_lines_and_writes_nothing(
    app: Flask, tmp_path: Path, event_factory: Any
) -> None:
    event = event_factory()
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "Eva,Bad,not-an-email,Org,sme,PL\n")
    result = _run(app, "import", "participants", str(bad), "--event", event["slug"])
    assert result.exit_code != 0
    assert "line 3" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_import_into_unknown_event_is_a_clear_message(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    result = _run(app, "import", "participants", str(path), "--event", "nope")
    assert result.exit_code != 0
    assert "No event with slug 'nope'" in result.output


def test_import_reads_an_xlsx_workbook_and_creates_tags(
    app: Flask, tmp_path: Path, event_factory: Any
) -> None:
    from openpyxl import Workbook

    event = event_factory()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        [
            "First name",
            "Last name",
            "Email",
            "Organisation",
            "Organisation type",
            "Country",
            "Interests",
        ]
    )
    sheet.append(
        [
            "Łucja",
            "Wójcik",
            "lucja@example.pl",
            "Silesian Cluster",
            "cluster_organisation",
            "PL",
            "Hydrogen valleys",
        ]
    )
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    args = ("import", "participants", str(path), "--event", event["slug"])
    refused = _run(app, *args)
    assert refused.exit_code != 0
    assert "unknown tag 'Hydrogen valleys' (lines [2])" in refused.output
    result = _run(app, *args, "--create-tags")
    assert result.exit_code == 0, result.output
    assert "Created tags: hydrogen-valleys." in result.output
    person = db.session.scalar(select(Participant))
    assert person is not None
    assert person.full_name == "Łucja Wójcik"
    assert [t.label for t in person.interests] == ["Hydrogen valleys"]


def test_version_names_the_installed_release(app: Flask) -> None:
    result = _run(app, "--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"clustermeet, version {version('clustermeet')}"
