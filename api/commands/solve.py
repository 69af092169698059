"""The `solve` and `bench` groups; each solver contributes its own commands."""

from __future__ import annotations

import click


@click.group()
def solve() -> None:
    """Solve an instance file without a server."""


@click.group()
def bench() -> None:
    """Benchmarks (see docs/benchmarks.md)."""
