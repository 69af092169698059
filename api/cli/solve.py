"""The `solve` and `bench` groups; each solver contributes its own commands."""

from __future__ import annotations

import click

from api.cli.agenda import bench_agenda, solve_agenda
from api.cli.crafted import bench_crafted
from api.cli.matching import bench_matching
from api.cli.meetings import (
    bench_b2b,
    bench_hosted,
    bench_on_the_day,
    bench_oversubscribed,
    bench_scale,
    bench_validity,
    solve_meetings,
)


@click.group()
def solve() -> None:
    """Solve an instance file without a server."""


@click.group()
def bench() -> None:
    """Benchmarks (see docs/benchmarks.md)."""


solve.add_command(solve_meetings)
solve.add_command(solve_agenda)
bench.add_command(bench_b2b)
bench.add_command(bench_scale)
bench.add_command(bench_crafted)
bench.add_command(bench_hosted)
bench.add_command(bench_oversubscribed)
bench.add_command(bench_on_the_day)
bench.add_command(bench_validity)
bench.add_command(bench_agenda)
bench.add_command(bench_matching)
