"""`clustermeet solve agenda` and `clustermeet bench agenda`; the lead attaches them to
the `solve` and `bench` groups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from scheduler.agenda import AgendaResult, InvalidAgendaInstance, SolveOptions, solve
from scheduler.agenda.errors import AgendaError
from scheduler.agenda.instance import AgendaInstance
from scheduler.agenda.json_format import load_instance


@click.command("agenda")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds the solver may search.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 8),
    default=2,
    show_default=True,
    help="CP-SAT worker threads.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def solve_agenda(file: Path, time_limit: float, workers: int, as_json: bool) -> None:
    """Place the sessions of the agenda instance FILE (JSON) in rooms and start slots."""
    try:
        instance = load_instance(file)
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror or error}") from None
    except InvalidAgendaInstance as error:
        raise click.ClickException(f"invalid agenda instance {file}: {error}") from None
    try:
        result = solve(instance, SolveOptions(time_limit_s=time_limit, workers=workers))
    except AgendaError as error:
        raise click.ClickException(f"solver failed: {error}") from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(_summary(instance, result))


def _summary(instance: AgendaInstance, result: AgendaResult) -> str:
    lines = [f"status: {result.status}   time: {result.seconds:.2f} s"]
    if result.message:
        lines.append(result.message)
    if not result.has_agenda:
        return "\n".join(lines)
    lines.append(f"objective: {result.objective}   bound: {result.bound}")
    for placement in result.placements:
        session = instance.session_by_id[placement.session]
        room = instance.room_by_id[placement.room]
        lines.append(
            f"  {instance.grid.label(placement.start)}  {room.name:<16} "
            f"{session.id}  {session.title}"
        )
    if result.terms is not None:
        lines.append(
            "soft terms: "
            + ", ".join(f"{name}={value}" for name, value in vars(result.terms).items())
        )
    if result.diff is not None:
        diff = result.diff
        lines.append(
            f"changes: new {list(diff.new)}, moved {[m.session for m in diff.moved]}, "
            f"cancelled {list(diff.cancelled)}, unchanged {diff.unchanged}"
        )
    return "\n".join(lines)


@click.command("agenda")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds each solver may search.",
)
@click.option(
    "--seed",
    type=int,
    default=2016,
    show_default=True,
    help="Seed of the demand and availability generator.",
)
@click.option(
    "--runs",
    type=click.IntRange(1, 20),
    default=1,
    show_default=True,
    help="Runs per solver; times are medians.",
)
@click.option(
    "--talks",
    type=click.IntRange(1, 69),
    default=None,
    help="Also run a reduced instance of the first N talks.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def bench_agenda(time_limit: float, seed: int, runs: int, talks: int | None, as_json: bool) -> None:
    """Run our CP-SAT agenda solver and conference-scheduler (PuLP + CBC) on PyCon UK 2016."""
    try:
        from benchkit.agenda.peer_benchmark import run_agenda_bench

        limits: tuple[int | None, ...] = (None,) if talks is None else (None, talks)
        rows = run_agenda_bench(
            time_limit_s=time_limit, seed=seed, repeats=runs, talk_limits=limits
        )
    except ImportError as error:
        raise click.ClickException(
            f"the benchmark needs the dev extra (conference-scheduler): {error}"
        ) from None
    except (OSError, AgendaError) as error:
        raise click.ClickException(f"benchmark failed: {error}") from None
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(_bench_line(row))


def _bench_line(row: dict[str, Any]) -> str:
    line = (
        f"{row['instance']:<34} {row['solver']:<30} {row['status']:<9} "
        f"objective {row['objective']!s:<6} {row['seconds']:>8.3f} s  "
        f"{'valid' if row['valid'] else 'INVALID'}"
    )
    if "time_ratio_peer_over_ours" in row:
        line += f"  peer/ours time {row['time_ratio_peer_over_ours']}x"
    return line
