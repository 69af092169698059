"""The accounts migration keeps every existing credential and event working."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from api import MIGRATIONS_DIR, create_app
from api.accounts.participant_sessions import session_for_token
from api.accounts.tokens import hash_secret
from api.extensions import db
from api.models import ApiKey, EventMember

BEFORE = "293cfa171039"


def test_existing_keys_tokens_and_events_survive_the_upgrade(tmp_path: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        statements = [
            "INSERT INTO organisers (id, name, key_hash, key_prefix, created_dt)"
            f" VALUES (1, 'Ana', '{hash_secret('cmo_old')}', 'cmo_old', '2026-01-01 10:00:00')",
            "INSERT INTO events (id, organiser_id, slug, name, kind, venue, description,"
            " timezone, start_date, end_date, meeting_length_min, is_online_allowed,"
            " is_auto_accept, rules, created_dt) VALUES (1, 1, 'e', 'E', 'matchmaking', '', '',"
            " 'Europe/Brussels', '2027-03-10', '2027-03-11', 30, 1, 0, '{}',"
            " '2026-01-01 10:00:00')",
            "INSERT INTO organisations (id, event_id, name, type, country, region, website,"
            " description) VALUES (1, 1, 'O', 'sme', 'BE', '', '', '')",
            "INSERT INTO participants (id, event_id, organisation_id, first_name, last_name,"
            ' email, role, attendance, languages, "group", description, is_public,'
            " token_hash, created_dt) VALUES (1, 1, 1, 'P', 'Q', 'p@example.org', '',"
            f" 'on_site', '[]', '', '', 1, '{hash_secret('cmp_old')}', '2026-01-01 10:00:00')",
        ]
        for statement in statements:
            db.session.execute(text(statement))
        db.session.commit()

        upgrade(directory=MIGRATIONS_DIR)

        key = db.session.scalars(db.select(ApiKey)).one()
        assert (key.organiser_id, key.scope, key.key_hash) == (1, "full", hash_secret("cmo_old"))
        owner = db.session.scalars(db.select(EventMember)).one()
        assert (owner.event_id, owner.organiser_id, owner.role) == (1, 1, "owner")
        session = session_for_token("cmp_old")
        assert session is not None and session.participant_id == 1
        language = db.session.scalar(text("SELECT language FROM participants WHERE id = 1"))
        assert language == "en"

        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        assert db.session.scalar(text("SELECT key_hash FROM organisers")) == hash_secret("cmo_old")
        db.session.remove()
        db.engine.dispose()
