"""`clustermeet solve meetings`, `clustermeet bench b2b` and `clustermeet bench scale`; the lead
attaches them to the `solve` and `bench` groups."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from benchkit.meetings.bench import (
    run_b2b,
    run_hosted,
    run_on_the_day,
    run_oversubscribed,
    run_scale,
)
from benchkit.meetings.hosted_buyer import WINDOWS, check_windows
from benchkit.meetings.validity import run_validity
from scheduler.errors import SchedulerError
from scheduler.meetings import MeetingInstance, MeetingResult, SolveOptions, Status, solve
from scheduler.meetings.errors import InstanceFormatError
from scheduler.meetings.json_format import read_instance
from scheduler.meetings.result_json import result_to_dict

_F = TypeVar("_F", bound=Callable[..., Any])


def _time_limit(default: float, text: str) -> Callable[[_F], _F]:
    """The ``--time-limit`` option: seconds, above 0."""
    return click.option(
        "--time-limit",
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=True,
        help=text,
    )


_WORKERS = click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
_SEED = click.option("--seed", type=int, default=0, show_default=True)


def _fairness(value: str) -> int | None:
    if value.lower() == "none":
        return None
    try:
        parsed = int(value)
    except ValueError:
        raise click.BadParameter("expected a non-negative integer or 'none'") from None
    if parsed < 0:
        raise click.BadParameter("expected a non-negative integer or 'none'")
    return parsed


@click.command("meetings")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_time_limit(60.0, "Seconds the solver may search.")
@click.option(
    "--fairness",
    default=None,
    metavar="D|none",
    help="Fairness bound d on breaks (default: the file's, 2 for .dzn).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="CP-SAT worker threads.",
)
@click.option(
    "--allow-unscheduled/--schedule-all",
    default=None,
    help="Allow leaving meetings out (default: only when not everything fits; "
    "--schedule-all reports such instances as infeasible).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def solve_meetings(
    file: Path,
    time_limit: float,
    fairness: str | None,
    workers: int,
    allow_unscheduled: bool | None,
    as_json: bool,
) -> None:
    """Schedule the one-to-one meetings of FILE (JAIR .dzn or clustermeet .json)."""
    override: int | str | None = "file" if fairness is None else _fairness(fairness)
    try:
        instance = read_instance(file, fairness=override)
    except InstanceFormatError as error:
        raise click.ClickException(str(error)) from None
    if allow_unscheduled is None and file.suffix == ".dzn":
        allow_unscheduled = False  # the benchmark problem schedules every meeting
    options = SolveOptions(
        time_limit_s=time_limit, workers=workers, allow_unscheduled=allow_unscheduled
    )
    try:
        result = solve(instance, options)
    except SchedulerError as error:
        raise click.ClickException(f"solver failed: {error}") from None
    if as_json:
        click.echo(json.dumps(result_to_dict(result), indent=2))
    else:
        click.echo(_summary(instance, result))


def _summary(instance: MeetingInstance, result: MeetingResult) -> str:
    lines = [
        f"instance: {instance.name or '-'}  participants: {len(instance.participants)}  "
        f"meetings: {len(instance.meetings)}  slots: {instance.n_slots}  "
        f"tables: {len(instance.tables)}",
        f"status: {result.status}   time: {result.seconds:.2f} s",
    ]
    if result.infeasible_reason:
        lines.append(f"reason: {result.infeasible_reason}")
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        return "\n".join(lines)
    lines.append(
        f"breaks: {result.objective}   bound: {result.bound}   "
        f"max per participant: {max(result.breaks.values(), default=0)}"
    )
    lines.append(
        f"scheduled: {len(result.assignments)}/{len(instance.meetings)}   "
        f"table changes: {result.table_changes}   moves: {result.moves}"
    )
    for item in result.unscheduled[:20]:
        who = ", ".join(item.participant_ids)
        lines.append(f"  unscheduled {item.meeting_id}: {item.reason} {who} {item.detail}".rstrip())
    if len(result.unscheduled) > 20:
        lines.append(f"  ... and {len(result.unscheduled) - 20} more")
    if result.diff is not None:
        lines.append(
            f"diff: {len(result.diff.new)} new, {len(result.diff.moved)} moved, "
            f"{len(result.diff.dropped)} dropped"
        )
    return "\n".join(lines)


@click.command("b2b")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_time_limit(120.0, "Seconds per instance.")
@_WORKERS
@click.option(
    "--maxsat/--no-maxsat",
    default=None,
    help="Race the MaxSAT engine beside CP-SAT (default: only with 3 workers or more).",
)
@click.option(
    "--few-breaks/--no-few-breaks",
    default=True,
    show_default=True,
    help="Race the SAT linear search over runs where 2 breaks or more are proven.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per instance (default).")
def bench_b2b(
    directory: Path,
    time_limit: float,
    workers: int,
    maxsat: bool | None,
    few_breaks: bool,
    as_json: bool,
) -> None:
    """Solve every JAIR 2022 .dzn instance of DIRECTORY; one JSON line per instance, with
    the paper's MaxSAT time and paper_ratio = paper time / ours (above 1: faster)."""
    if not directory.is_dir():
        raise click.ClickException(f"{directory} is not a directory")
    if not any(directory.glob("*.dzn")):
        raise click.ClickException(f"no .dzn files in {directory}")
    del as_json  # JSON lines are the only output: the bench output is meant for machines
    try:
        rows = run_b2b(
            directory, time_limit=time_limit, workers=workers, maxsat=maxsat, few_breaks=few_breaks
        )
        for row in rows:
            click.echo(json.dumps(row))
            sys.stdout.flush()
    except (InstanceFormatError, SchedulerError) as error:
        raise click.ClickException(str(error)) from None


@click.command("scale")
@click.option(
    "--sizes",
    default="300,1000,3000",
    show_default=True,
    help="Comma-separated numbers of participants.",
)
@_time_limit(60.0, "Seconds per solve.")
@_SEED
@_WORKERS
@click.option(
    "--resolve",
    is_flag=True,
    help="Also re-solve each schedule after 2% of meetings are cancelled and 2% added.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per run.")
def bench_scale(
    sizes: str, time_limit: float, seed: int, workers: int, resolve: bool, as_json: bool
) -> None:
    """Generated events of each size: our solver against first-come-first-served."""
    parsed = _sizes(sizes, minimum=2)
    rows = run_scale(parsed, time_limit=time_limit, seed=seed, workers=workers, resolve=resolve)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row))
        else:
            moves = f" moves {row['moves']}" if "moves" in row else ""
            click.echo(
                f"{row['participants']:>6} {row['solver']:<19} scheduled {row['scheduled']:>6}/"
                f"{row['meetings']:<6} breaks {row['breaks']!s:>6} max {row['max_breaks']} "
                f"{row['seconds']:>6.1f} s valid={row['valid']}{moves}"
            )
        sys.stdout.flush()


@click.command("hosted")
@click.option(
    "--sizes",
    default="300,1000,3000",
    show_default=True,
    help="Comma-separated numbers of participants (rounded down to even).",
)
@click.option(
    "--windows",
    default="-".join(map(str, WINDOWS)),
    show_default=True,
    help="Shortest-longest window of a host, in slots of the day's 24 (longer: more meetings).",
)
@_time_limit(60.0, "Seconds per solve.")
@_SEED
@_WORKERS
def bench_hosted(sizes: str, windows: str, time_limit: float, seed: int, workers: int) -> None:
    """Tight hosted-buyer events (a 0-break schedule exists), every meeting required:
    our solver against first-come-first-served; one JSON line per run."""
    parsed = _sizes(sizes, minimum=4)
    lengths = _windows(windows)
    rows = run_hosted(parsed, time_limit=time_limit, seed=seed, workers=workers, windows=lengths)
    for row in rows:
        click.echo(json.dumps(row))
        sys.stdout.flush()


@click.command("validity")
@click.option(
    "--sizes",
    default="120",
    show_default=True,
    help="Comma-separated participants of the generated and crafted events.",
)
@click.option("--seeds", default="0,1", show_default=True, help="Comma-separated seeds.")
@click.option(
    "--hosted",
    type=click.IntRange(0, 100_000),
    default=300,
    show_default=True,
    help="Participants of the hosted-buyer event (0: none).",
)
@click.option(
    "--oversubscribed",
    type=click.IntRange(0, 100_000),
    default=300,
    show_default=True,
    help="Participants of the oversubscribed event (0: none).",
)
@_time_limit(5.0, "Seconds per solve.")
@_WORKERS
def bench_validity(
    sizes: str, seeds: str, hosted: int, oversubscribed: int, time_limit: float, workers: int
) -> None:
    """Short solves across families, modes and paths, each checked by the validator; one
    JSON line per solve, then a summary. Exits with status 1 if any result is invalid."""
    parsed = _sizes(sizes, minimum=4)
    for name, value in (("--hosted", hosted), ("--oversubscribed", oversubscribed)):
        if 0 < value < 4:
            raise click.BadParameter("expected 0 (none) or at least 4", param_hint=name)
    try:
        seed_list = [int(s) for s in seeds.split(",") if s.strip()]
    except ValueError:
        raise click.BadParameter(
            "expected comma-separated integers", param_hint="--seeds"
        ) from None
    if not seed_list or len(seed_list) > 100:
        raise click.BadParameter("expected 1 to 100 seeds", param_hint="--seeds")
    invalid = 0
    for row in run_validity(parsed, seed_list, time_limit, workers, hosted, oversubscribed):
        click.echo(json.dumps(row))
        sys.stdout.flush()
        invalid = row.get("invalid", invalid)
    if invalid:
        raise click.ClickException(f'{invalid} invalid results (rows with "valid": false)')


@click.command("oversubscribed")
@click.option("--participants", type=click.IntRange(2, 100_000), default=2_000, show_default=True)
@click.option("--requests", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True)
@_time_limit(60.0, "Seconds per solve.")
@_SEED
@_WORKERS
def bench_oversubscribed(
    participants: int, requests: int, time_limit: float, seed: int, workers: int
) -> None:
    """More accepted meetings than fit: placed priority weight against a proven upper
    bound, ours and first-come-first-served; one JSON line per solver."""
    try:
        rows = list(
            run_oversubscribed(participants, requests, time_limit, seed=seed, workers=workers)
        )
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--requests") from None
    for row in rows:
        click.echo(json.dumps(row))


@click.command("on-the-day")
@click.option("--participants", type=click.IntRange(10, 100_000), default=700, show_default=True)
@click.option("--meetings", type=click.IntRange(1, 1_000_000), default=800, show_default=True)
@click.option("--changes", type=click.IntRange(1, 100), default=5, show_default=True)
@_time_limit(4.0, "Seconds per re-solve.")
@click.option(
    "--publish-time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds for the schedule that is published first.",
)
@_SEED
@_WORKERS
def bench_on_the_day(
    participants: int,
    meetings: int,
    changes: int,
    time_limit: float,
    publish_time_limit: float,
    seed: int,
    workers: int,
) -> None:
    """A published event re-solved after single cancellations and late meetings: wall
    seconds and published meetings moved per re-solve; one JSON line each."""
    rows = run_on_the_day(
        participants,
        meetings,
        changes,
        time_limit,
        seed=seed,
        workers=workers,
        publish_time_limit=publish_time_limit,
    )
    for row in rows:
        click.echo(json.dumps(row))
        sys.stdout.flush()


def _windows(text: str) -> tuple[int, int]:
    shortest, _, longest = text.partition("-")
    try:
        lengths = int(shortest), int(longest)
    except ValueError:
        raise click.BadParameter(
            "expected SHORTEST-LONGEST, such as 4-12", param_hint="--windows"
        ) from None
    try:
        check_windows(lengths)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--windows") from None
    return lengths


def _sizes(sizes: str, minimum: int) -> list[int]:
    try:
        parsed = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise click.BadParameter(
            "expected comma-separated integers", param_hint="--sizes"
        ) from None
    if not parsed or any(n < minimum or n > 100_000 for n in parsed):
        raise click.BadParameter(
            f"sizes must be integers from {minimum} to 100000", param_hint="--sizes"
        )
    return parsed
