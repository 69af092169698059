"""Shared fixtures: apps on SQLite and on a real PostgreSQL, clients and factories.

API tests run on SQLite, the embedded default. A test marked ``postgres`` runs on both
databases: mark the ones where PostgreSQL behaves differently (row locks, constraints,
concurrency, integer ranges), not every test.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from api import MIGRATIONS_DIR, create_app
from api.extensions import db, limiter
from tests.servers import PostgresServer, postgres_server

# Each test process holds a large, long-lived heap (apps, SQLAlchemy metadata, OR-Tools,
# word vectors). With CPython's default generation-0 threshold (700 allocations) the
# collector walked it about 4,000 times per process: a fifth of the suite's CPU time
# (docs/benchmarks.md, "Test suite"). A higher threshold keeps cycles collected, rarely.
gc.set_threshold(100_000, 50, 100)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresServer) -> str:
    """One migrated database for the session; tests empty it afterwards."""
    url = postgres.create_database("clustermeet_test")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the tests' SQLite files live: in memory (tmpfs) when the machine has one.

    A commit on disk waits for fsync (about 15 ms here, more on a busy disk); the test
    databases are thrown away, so they need no durability. The app's SQLite settings
    are the same either way.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        path = Path(tempfile.mkdtemp(prefix="clustermeet-tests-", dir=shm))
        yield path
        shutil.rmtree(path, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("sqlite")


@pytest.fixture(scope="session")
def sqlite_template(sqlite_dir: Path) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = sqlite_dir / "template.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()
    return path


def _truncate_all() -> None:
    tables = ", ".join(
        table.name for table in db.metadata.sorted_tables if table.name != "alembic_version"
    )
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


# The configuration every test app starts from.
TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "JOBS_BACKEND": "thread",
    "SOLVER_TIME_LIMIT": 20.0,
    # Tests send many requests from one address; tests/api/test_rate_limits.py turns
    # limits on.
    "RATELIMIT_ENABLED": False,
}


@pytest.fixture(scope="session")
def shared_apps() -> dict[str, Flask]:
    """One app per database for the session (per xdist worker), reused by every test that
    asks for no configuration of its own.

    Building an app registers about 130 routes (0.1-0.2 s); tests get a fresh database
    each instead: a copy of the migrated SQLite template, or PostgreSQL emptied after
    each test. What a test changes in ``app.config`` or ``app.extensions`` is put back.
    """
    return {}


def _fresh_sqlite_url(request: pytest.FixtureRequest) -> str:
    template: Path = request.getfixturevalue("sqlite_template")
    target = Path(tempfile.mkstemp(suffix=".sqlite", dir=template.parent)[1])
    shutil.copy(template, target)
    request.addfinalizer(lambda: target.unlink(missing_ok=True))
    return f"sqlite:///{target}"


def make_app(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, **config: Any
) -> Iterator[Flask]:
    if config:
        # A configuration of its own: an app of its own.
        if backend == "postgres":
            url = request.getfixturevalue("postgres_url")
        else:
            url = _fresh_sqlite_url(request)
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **config})
    else:
        apps: dict[str, Flask] = request.getfixturevalue("shared_apps")
        if backend == "postgres":
            url = request.getfixturevalue("postgres_url")
        else:
            # The shared app's engine was disposed after the previous test: no connection
            # is open on the file replaced here.
            template: Path = request.getfixturevalue("sqlite_template")
            target = template.with_name("shared.sqlite")
            shutil.copy(template, target)
            url = f"sqlite:///{target}"
        if backend not in apps:
            apps[backend] = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
            # What stays for the whole session never needs collecting.
            gc.freeze()
        app = apps[backend]
        # The limiter is one object for every app of the process; the last app built set
        # it (tests/api/test_rate_limits.py builds one with limits on).
        limiter.enabled = bool(app.config["RATELIMIT_ENABLED"])
    saved_config = dict(app.config)
    saved_extensions = dict(app.extensions)
    with app.app_context():
        yield app
        db.session.rollback()
        runner = app.extensions["clustermeet_jobs"]
        if hasattr(runner, "join"):
            runner.join()
        # Mail and webhook retries still waiting must not outlive the test's database.
        background = app.extensions["clustermeet_background"]
        if hasattr(background, "discard"):
            background.discard(timeout=60)
        if backend == "postgres":
            _truncate_all()
        db.session.remove()
        db.engine.dispose()
    app.config.clear()
    app.config.update(saved_config)
    # What a test replaced goes back; what the app added on its own (caches such as the
    # mail templates' environment) stays for the next test.
    app.extensions.update(saved_extensions)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        marked = metafunc.definition.get_closest_marker("postgres") is not None
        backends = ["sqlite", "postgres"] if marked else ["sqlite"]
        metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database a test runs on: "sqlite", and also "postgres" when marked so."""
    return str(request.param)


@pytest.fixture
def app(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on the test's database; the test runs inside an app context."""
    yield from make_app(request, backend, tmp_path)


@pytest.fixture
def sqlite_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on SQLite only, for tests whose database makes no difference."""
    yield from make_app(request, "sqlite", tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


Factory = Callable[..., Any]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: a worker per core, and one more. The integration and browser groups
    spend most of their time waiting (for Celery's crash recovery, for Chromium); the extra
    worker runs other tests meanwhile (docs/benchmarks.md, "Test suite")."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1
