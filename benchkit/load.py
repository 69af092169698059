"""A read-mix load test: gunicorn + PostgreSQL on loopback, closed-loop clients.

    python -m benchkit.load [--workers 2] [--clients 16] [--seconds 45]
                            [--participants 200] [--reads participants,schedule]
                            [--database-url URL]

Without ``--database-url`` a throwaway PostgreSQL is started (``initdb``/``pg_ctl``, as
the tests do, see tests/servers.py) and removed afterwards. The script migrates the
database, builds the demo event with a published meeting schedule (``published_event``,
the same fixture the on-the-day tests use), opens a session for every participant,
starts ``gunicorn -w N 'api:create_app()'`` on a free loopback port and then runs
``--clients`` threads for ``--seconds``, each with its own HTTP connection (requests),
each picking a participant at random and one read of the mix (``--reads`` picks a
subset):

- ``participants``: ``GET /participants`` (first page, as that participant),
- ``recommendations``: ``GET /participants/{me}/recommendations``,
- ``schedule``: ``GET /participants/{me}/schedule``.

It prints requests per second and p50/p99 latencies, overall and per read, as a table
and (``--json``) as JSON. Any answer other than 200 is counted as an error and reported.
The clients share the machine with gunicorn and PostgreSQL: the figures are for one
box, not for a server with a separate load generator.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles
from typing import Any

import requests

READS = ("participants", "recommendations", "schedule")
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, read: str, seconds: float, ok: bool) -> None:
        with self.lock:
            if ok:
                self.latencies[read].append(seconds)
            else:
                self.errors[read] += 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    # The tests' throwaway server: initdb + pg_ctl on a free port, removed afterwards.
    sys.path.insert(0, str(ROOT))
    from tests.servers import postgres_server

    with postgres_server() as server:
        yield server.create_database("clustermeet_load")


def _prepare(url: str, participants: int) -> tuple[int, list[tuple[int, str]]]:
    """Migrate, build the published demo event, open a session per participant."""
    from flask_migrate import upgrade

    from api import MIGRATIONS_DIR, create_app
    from api.accounts.participant_sessions import open_session
    from api.extensions import db
    from api.models import Participant

    sys.path.insert(0, str(ROOT))
    from tests.api.published_event import published_event

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "JOBS_BACKEND": "thread"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        demo = published_event(participants=participants, meetings_each=4)
        people = []
        for pid in demo.participant_ids:
            person = db.session.get(Participant, pid)
            assert person is not None
            people.append((pid, open_session(person, "load test")[1]))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return demo.event_id, people


@contextmanager
def _gunicorn(url: str, workers: int) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CLUSTERMEET_JOBS": "thread",
        "SECRET_KEY": "load-test-only",
        # The read mix is the subject, not the limiter: one address sends everything.
        "CLUSTERMEET_RATELIMIT_AUTH_FAILURES": "100000 per minute",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "api:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/api/v1/events", timeout=10)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _run(
    base: str,
    event_id: int,
    people: list[tuple[int, str]],
    clients: int,
    seconds: float,
    seed: int,
    reads: tuple[str, ...] = READS,
) -> tuple[Tally, float]:
    tally = Tally()
    start_line = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(number: int) -> None:
        rng = random.Random(seed + number)
        http = requests.Session()
        start_line.wait()
        while time.perf_counter() < stop_at[0]:
            me, token = rng.choice(people)
            read = rng.choice(reads)
            path = {
                "participants": "/participants",
                "recommendations": f"/participants/{me}/recommendations",
                "schedule": f"/participants/{me}/schedule",
            }[read]
            began = time.perf_counter()
            response = http.get(
                f"{base}/api/v1/events/{event_id}{path}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
            tally.add(read, time.perf_counter() - began, response.status_code == 200)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - began


def _summary(tally: Tally, elapsed: float, reads: tuple[str, ...]) -> dict[str, Any]:
    def figures(samples: list[float], errors: int) -> dict[str, Any]:
        cuts = quantiles(samples, n=100) if len(samples) > 1 else samples * 99
        return {
            "requests": len(samples),
            "errors": errors,
            "rps": round(len(samples) / elapsed, 1),
            "p50_ms": round(cuts[49] * 1000, 1) if cuts else None,
            "p99_ms": round(cuts[98] * 1000, 1) if cuts else None,
        }

    every = [s for read in reads for s in tally.latencies[read]]
    return {
        "seconds": round(elapsed, 1),
        "all": figures(every, sum(tally.errors.values())),
        **{read: figures(tally.latencies[read], tally.errors[read]) for read in reads},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchkit.load", description=__doc__)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--database-url", help="an empty PostgreSQL database to use")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reads", default=",".join(READS), help=f"comma-separated, of {', '.join(READS)}"
    )
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    reads = tuple(dict.fromkeys(r.strip() for r in args.reads.split(",") if r.strip()))
    if not reads or not set(reads) <= set(READS):
        parser.error(f"--reads: choose among {', '.join(READS)}")
    with _database(args.database_url) as url:
        event_id, people = _prepare(url, args.participants)
        with _gunicorn(url, args.workers) as base:
            # One warm-up pass per read, so worker start-up is not measured.
            _run(base, event_id, people, min(args.clients, 4), 3.0, args.seed + 1000, reads)
            tally, elapsed = _run(
                base, event_id, people, args.clients, args.seconds, args.seed, reads
            )
    summary = {
        "workers": args.workers,
        "clients": args.clients,
        "participants": args.participants,
        "load_average_after": os.getloadavg()[0],
        "reads": list(reads),
        **_summary(tally, elapsed, reads),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"gunicorn -w {args.workers}, {args.clients} clients, {args.participants} participants, "
        f"{summary['seconds']} s (load average after: {summary['load_average_after']:.1f})"
    )
    print(f"{'read':16} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for read in ("all", *reads):
        row = summary[read]
        print(
            f"{read:16} {row['requests']:>9} {row['errors']:>7} {row['rps']:>8} "
            f"{row['p50_ms']!s:>8} {row['p99_ms']!s:>8}"
        )
    return 0 if summary["all"]["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
