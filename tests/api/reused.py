"""Test data built once per test process and copied into each test's SQLite database.

Building a realistic event (registrations, mails, a published schedule) takes about a
second; a copy of the file it left takes milliseconds. A copy is used only on an empty
SQLite database of an app configured alike; on PostgreSQL, or when the test has already
written something, the data is built as usual.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Hashable
from contextlib import closing
from pathlib import Path
from typing import TypeVar

from flask import current_app
from sqlalchemy import text

from api.extensions import db

T = TypeVar("T")

# (what was built, the app's configuration) -> the file and what the build returned.
_BUILT: dict[tuple[Hashable, str], tuple[Path, object]] = {}
# Which file and which loopback SMTP port (one per test) make no difference to what is stored.
_PER_TEST_SETTINGS = {"SQLALCHEMY_DATABASE_URI", "SMTP_PORT"}


def _sqlite_file() -> Path | None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _is_empty() -> bool:
    """Nothing in the database yet but what the migrations wrote."""
    tables = [t.name for t in db.metadata.sorted_tables if t.name != "alembic_version"]
    query = " UNION ALL ".join(f"SELECT 1 FROM {name}" for name in tables)
    return db.session.execute(text(f"SELECT EXISTS ({query})")).scalar() == 0


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (whatever the journal mode)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def reused(what: Hashable, build: Callable[[], T]) -> T:
    """``build()`` (which commits), or a copy of what it stored the first time.

    The build waits for the mails it sent, so a copy holds exactly what a fresh build
    leaves. Use it for data a test reads and changes afterwards, not for tests that follow
    the mails of the build itself. What ``build`` returns must stay valid in a copy: ids
    and keys, not ORM objects (re-read those from the ids).
    """
    config = repr(
        sorted(
            (name, repr(value))
            for name, value in current_app.config.items()
            if name not in _PER_TEST_SETTINGS
        )
    )
    key = (what, config)
    path = _sqlite_file()
    if path is None or not _is_empty():
        return build()
    if key in _BUILT:
        built_file, built = _BUILT[key]
        db.session.remove()
        db.engine.dispose()
        _copy_sqlite(built_file, path)
        return built  # type: ignore[return-value]
    result = build()
    background = current_app.extensions["clustermeet_background"]
    if hasattr(background, "join"):
        assert background.join(timeout=120), "the build's mails were not sent"
    db.session.commit()
    copy = path.with_name(f"reused-{len(_BUILT)}-{os.getpid()}.sqlite")
    _copy_sqlite(path, copy)
    _BUILT[key] = (copy, result)
    return result
