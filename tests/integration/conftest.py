"""Real Redis, a dedicated PostgreSQL database and Celery worker processes.

Workers are started the way an operator starts them, `clustermeet worker` with
DATABASE_URL and CELERY_BROKER_URL set, each in its own process group so a test can kill
one outright (SIGKILL to the Celery parent and its pool child at once, like a lost
machine). Time limits are shortened so that crash recovery, which waits for Redis's
visibility timeout, takes seconds instead of an hour; their order stays the production
one: solver limit < soft limit < hard limit < visibility timeout.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from api import MIGRATIONS_DIR, create_app
from api.config import load_config
from api.extensions import db
from tests.mail_server import SmtpServer, smtp_server
from tests.servers import PostgresServer, redis_server

# Jobs in these tests ask for at most 5 s of solving: the cap (soft limit minus 10%, at
# least 2 s, api/solving/runner.py) leaves them 8.1 s, and the 4 s beyond their own limit
# cover building the instance and writing the results of these 60-person events on a
# loaded machine. The visibility timeout is what crash recovery waits for.
SOFT_LIMIT_S = 9
HARD_LIMIT_S = 11
VISIBILITY_TIMEOUT_S = 13
WORKER_START_TIMEOUT_S = 60.0
CLUSTERMEET = str(Path(sys.executable).with_name("clustermeet"))


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    """Poll until ``condition()`` is truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def integration_db_url(postgres: PostgresServer) -> str:
    url = postgres.create_database("clustermeet_integration")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "JOBS_BACKEND": "thread"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpServer]:
    """The SMTP server the workers send mail to (a real one, on loopback)."""
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="session")
def worker_env(
    integration_db_url: str,
    redis_url: str,
    smtp: SmtpServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    return {
        **os.environ,
        "CLUSTERMEET_SMTP_HOST": smtp.host,
        "CLUSTERMEET_SMTP_PORT": str(smtp.port),
        "CLUSTERMEET_SMTP_TLS": "none",
        "DATABASE_URL": integration_db_url,
        "CELERY_BROKER_URL": redis_url,
        "CLUSTERMEET_INSTANCE_PATH": str(tmp_path_factory.mktemp("worker-instance")),
        "CLUSTERMEET_TASK_SOFT_LIMIT": str(SOFT_LIMIT_S),
        "CLUSTERMEET_TASK_HARD_LIMIT": str(HARD_LIMIT_S),
        "CLUSTERMEET_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_S),
        "CLUSTERMEET_RESTORE_INTERVAL": "1",
        "CLUSTERMEET_SOLVER_WORKERS": "1",
        "CLUSTERMEET_LOG_LEVEL": "INFO",
    }


class Worker:
    def __init__(self, name: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.name = name
        self.process = process
        self.log = log

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pool_processes(self) -> list[int]:
        """The prefork pool's children: the processes that run the tasks."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes: nothing gets to clean up."""
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive:
            return
        # SIGQUIT is Celery's cold shutdown: it does not wait for a running solve.
        os.killpg(self.process.pid, signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


class WorkerPool:
    """Celery workers started on demand; every one is stopped when the session ends."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self._env = env
        self._logs = logs
        self._count = 0
        self.workers: list[Worker] = []

    def _spawn(self) -> Worker:
        self._count += 1
        name = f"w{self._count}"
        log = self._logs / f"{name}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [CLUSTERMEET, "worker", f"--hostname={name}@%h", "--without-mingle"],
                env=self._env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(name, process, log)
        self.workers.append(worker)
        return worker

    def ensure(self, count: int) -> list[Worker]:
        """At least ``count`` live workers (a test may have killed some), started side by
        side: each takes seconds to import and connect."""
        self.workers = [w for w in self.workers if w.alive]
        starting = [self._spawn() for _ in range(count - len(self.workers))]
        for worker in starting:
            wait_for(
                lambda worker=worker: " ready." in worker.output() or not worker.alive,
                WORKER_START_TIMEOUT_S,
                f"worker {worker.name} to start",
            )
            if not worker.alive:
                pytest.fail(f"worker {worker.name} exited:\n{worker.output()[-3000:]}")
        return self.workers[:count]

    def stop_all(self) -> None:
        # Asked to stop together, they stop in the time of one.
        for worker in self.workers:
            if worker.alive:
                os.killpg(worker.process.pid, signal.SIGQUIT)
        for worker in self.workers:
            worker.stop()


@pytest.fixture(scope="session")
def worker_pool(
    worker_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerPool]:
    pool = WorkerPool(worker_env, tmp_path_factory.mktemp("worker-logs"))
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def celery_app(integration_db_url: str, redis_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The API in distributed mode (Celery backend), as gunicorn would run it."""
    celery = load_config(str(tmp_path))["CELERY"]
    celery.update(
        broker_url=redis_url,
        task_soft_time_limit=SOFT_LIMIT_S,
        task_time_limit=HARD_LIMIT_S,
    )
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": integration_db_url,
            "JOBS_BACKEND": "celery",
            "CELERY": celery,
        }
    )
    with app.app_context():
        yield app
        db.session.rollback()
        tables = ", ".join(t.name for t in db.metadata.sorted_tables if t.name != "alembic_version")
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def api_client(celery_app: Flask) -> FlaskClient:
    return celery_app.test_client()
