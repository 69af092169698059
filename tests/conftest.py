"""Shared fixtures: apps on SQLite and on a real PostgreSQL, clients and factories.

API tests run on SQLite, the embedded default. A test marked ``postgres`` runs on both
databases: mark the ones where PostgreSQL behaves differently (row locks, constraints,
concurrency, integer ranges), not every test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from api import MIGRATIONS_DIR, create_app
from api.extensions import db
from tests.servers import PostgresServer, postgres_server


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
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
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


def make_app(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, **config: Any
) -> Iterator[Flask]:
    if backend == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "test.sqlite"
        shutil.copy(template, target)
        url = f"sqlite:///{target}"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "JOBS_BACKEND": "thread",
            "SOLVER_TIME_LIMIT": 20.0,
            # Tests send many requests from one address; tests/api/test_rate_limits.py
            # turns limits on.
            "RATELIMIT_ENABLED": False,
            **config,
        }
    )
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
