"""Reproduce docs/benchmarks/jobs.md: ``python -m tests.integration.run_jobs_bench``.

Starts a throw-away PostgreSQL and Redis (tests/servers.py), then runs
``clustermeet bench jobs --json`` on the embedded thread and on 1 and 2 Celery workers,
and prints one JSON line per run plus the ratios. Extra arguments go to the bench command.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.servers import postgres_server, redis_server

CLUSTERMEET = str(Path(sys.executable).with_name("clustermeet"))


def _start_worker(env: dict[str, str], name: str, logs: Path) -> subprocess.Popen[bytes]:
    log = logs / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [CLUSTERMEET, "worker", f"--hostname={name}@%h", "--without-mingle"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while " ready." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"worker {name} did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)
    return process


def _bench(env: dict[str, str], args: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [CLUSTERMEET, "bench", "jobs", "--json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench failed:\n{done.stderr[-3000:]}")
    output = done.stdout
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return result


def main(args: list[str]) -> None:
    with (
        postgres_server() as postgres,
        redis_server() as redis_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        base = {
            **os.environ,
            "DATABASE_URL": postgres.create_database("clustermeet_bench"),
            "CLUSTERMEET_INSTANCE_PATH": tmp,
            "CLUSTERMEET_SOLVER_WORKERS": "1",
        }
        base.pop("CELERY_BROKER_URL", None)
        subprocess.run([CLUSTERMEET, "db", "upgrade"], env=base, check=True, capture_output=True)
        runs = {"embedded": _bench(base, args)}
        distributed = {**base, "CELERY_BROKER_URL": redis_url}
        for count in (1, 2):
            workers = []
            try:
                for n in range(count):
                    workers.append(_start_worker(distributed, f"bench{count}-{n}", Path(tmp)))
                runs[f"celery-{count}"] = _bench(distributed, args)
            finally:
                for process in workers:
                    os.killpg(process.pid, signal.SIGQUIT)
                for process in workers:
                    try:
                        process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait(timeout=5)
    for name, run in runs.items():
        print(json.dumps({"run": name, **run}))

    def ratio(a: str, b: str, key: str) -> float:
        return round(float(runs[a][key]) / float(runs[b][key]), 2)  # type: ignore[arg-type]

    print(
        json.dumps(
            {
                "throughput_2_workers_vs_1": ratio("celery-2", "celery-1", "jobs_per_min"),
                "throughput_1_worker_vs_embedded": ratio("celery-1", "embedded", "jobs_per_min"),
                "post_job_celery_vs_embedded": ratio("celery-1", "embedded", "post_job_ms"),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
