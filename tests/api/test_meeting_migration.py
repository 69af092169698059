"""The harden2 migration: meetings outlive an erased participant; no data lost either way."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from api import MIGRATIONS_DIR, create_app
from api.extensions import db
from api.models import Meeting, MeetingPlacement, Participant
from tests.api.published_event import published_event

BEFORE = "5d0c1f2a7b3e"


def _counts() -> tuple[int, int]:
    return (
        int(db.session.scalar(select(func.count()).select_from(Meeting)) or 0),
        int(db.session.scalar(select(func.count()).select_from(MeetingPlacement)) or 0),
    )


def _nullable() -> dict[str, bool]:
    columns = inspect(db.engine).get_columns("meetings")
    return {c["name"]: c["nullable"] for c in columns if c["name"].startswith("participant_")}


def test_meetings_and_placements_survive_both_directions(tmp_path: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        published_event(participants=8, meetings_each=2)
        before = _counts()
        assert before[0] > 0 and before[1] > 0

        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        db.session.remove()
        assert _nullable() == {"participant_a_id": False, "participant_b_id": False}
        assert _counts() == before

        upgrade(directory=MIGRATIONS_DIR)
        db.session.remove()
        assert _nullable() == {"participant_a_id": True, "participant_b_id": True}
        assert _counts() == before
        # The database itself keeps the meeting when a participant row goes.
        person = db.session.scalars(select(Meeting)).first().participant_a  # type: ignore[union-attr]
        assert isinstance(person, Participant)
        db.session.execute(
            text("DELETE FROM meeting_seats WHERE participant_id = :p"), {"p": person.id}
        )
        db.session.execute(text("DELETE FROM participants WHERE id = :p"), {"p": person.id})
        db.session.commit()
        assert _counts() == before

        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        db.session.remove()
        orphans = db.session.scalar(
            text("SELECT count(*) FROM meetings WHERE participant_a_id IS NULL")
        )
        assert orphans == 0
        db.session.remove()
        db.engine.dispose()
