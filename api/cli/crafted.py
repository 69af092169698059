"""`clustermeet bench crafted`: the crafted variants of the JAIR 2022 instances."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from benchkit.data import b2b_instances_dir
from benchkit.meetings.crafted_bench import run_crafted
from scheduler.errors import SchedulerError
from scheduler.meetings.errors import InstanceFormatError


@click.command("crafted")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds per variant.",
)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--only", default="", help="Only variants whose name contains this text.")
@click.option(
    "--few-breaks/--no-few-breaks",
    default=True,
    show_default=True,
    help="Race the SAT linear search over runs where 2 breaks or more are proven.",
)
def bench_crafted(
    directory: Path | None, time_limit: float, workers: int, seed: int, only: str, few_breaks: bool
) -> None:
    """Six seeded variants of every JAIR 2022 original in DIRECTORY (default: the shared
    benchmark data): forbidden slots, fixed meetings and precedences, as in the paper's
    crafted set. One JSON line per variant."""
    directory = directory or b2b_instances_dir()
    if not directory.is_dir():
        raise click.ClickException(f"{directory} is not a directory")
    if not any(directory.glob("*.dzn")):
        raise click.ClickException(f"no .dzn files in {directory}")
    try:
        for row in run_crafted(
            directory,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            only=only,
            few_breaks=few_breaks,
        ):
            click.echo(json.dumps(row))
            sys.stdout.flush()
    except (InstanceFormatError, SchedulerError) as error:
        raise click.ClickException(str(error)) from None
