"""`clustermeet bench matching`: speed and recall of the recommender on a synthetic event.

Only ``click`` and :mod:`matchmaking` are used here, so the benchmark runs without a
database; the lead engineer attaches ``bench_matching`` to the ``bench`` group.
"""

from __future__ import annotations

import json

import click

from matchmaking.bench import run_matching_bench


@click.command("matching")
@click.option(
    "--participants",
    default=5000,
    show_default=True,
    type=click.IntRange(min=2),
    help="Size of the synthetic population.",
)
@click.option(
    "--seed", default=7, show_default=True, type=int, help="Seed of the population generator."
)
@click.option(
    "--k",
    "k",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Recommendations per participant.",
)
@click.option(
    "--repeats",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Timed runs; the median is reported.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def bench_matching(participants: int, seed: int, k: int, repeats: int, as_json: bool) -> None:
    """Score and recommend for every participant; report seconds and recall of planted pairs."""
    result = run_matching_bench(participants, seed, k, repeats)
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))
        return
    width = max(len(name) for name in result)
    for name, value in result.items():
        click.echo(f"{name:<{width}}  {value}")
