"""``clustermeet worker``: a Celery worker that runs solver jobs."""

from __future__ import annotations

import os
import sys

import click


@click.command(context_settings={"ignore_unknown_options": True})
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Jobs run at once; one solve already uses CLUSTERMEET_SOLVER_WORKERS threads.",
)
@click.option("--loglevel", "-l", default="info", show_default=True)
@click.option(
    "--queues",
    "-Q",
    default="clustermeet-jobs,clustermeet-background",
    show_default=True,
    help="Solver jobs, and mail and webhook deliveries. A worker with "
    "-Q clustermeet-background keeps mail moving while long solves run.",
)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(concurrency: int, loglevel: str, queues: str, celery_args: tuple[str, ...]) -> None:
    """Start a Celery worker for solver jobs (needs CELERY_BROKER_URL and DATABASE_URL).

    Extra arguments go to `celery worker` unchanged, e.g. `--hostname=solver1@%h`.
    Scale out by starting more workers, on this machine or others.
    """
    if not os.environ.get("CELERY_BROKER_URL"):
        raise click.UsageError(
            "CELERY_BROKER_URL is not set: the embedded mode runs jobs in the web process "
            "and needs no worker (e.g. CELERY_BROKER_URL=redis://localhost:6379/0)."
        )
    # The worker process loads `worker.app` itself; exec rather than import keeps the
    # api package free of any import of worker, and signals reach Celery directly.
    argv = [
        sys.executable,
        "-m",
        "celery",
        "--app=worker.app:celery_app",
        "worker",
        f"--concurrency={concurrency}",
        f"--loglevel={loglevel}",
        f"--queues={queues}",
        *celery_args,
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)
