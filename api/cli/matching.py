"""`clustermeet bench matching`: quality and speed of the recommender on two populations.

- ``realistic``: hand-written needs planted in an event (benchkit/matching/data/realistic),
  recall@k and MRR@k of the planted answers, with TF-IDF and static-vector baselines and
  the recommender's ablations computed in the same run;
- ``synthetic``: the seeded generator of the demo, recall of its planted pairs, with a
  TF-IDF baseline.

Only ``click``, :mod:`matchmaking` and :mod:`benchkit` are used here, so the benchmark
runs without a database; the lead engineer attaches ``bench_matching`` to the ``bench``
group.
"""

from __future__ import annotations

import json

import click

from benchkit.matching.bench import run_matching_bench
from benchkit.matching.realistic_bench import run_realistic_bench


@click.command("matching")
@click.option(
    "--set",
    "which",
    type=click.Choice(["both", "realistic", "synthetic"]),
    default="both",
    show_default=True,
    help="Which population to measure.",
)
@click.option(
    "--participants",
    default=5000,
    show_default=True,
    type=click.IntRange(min=2, max=50_000),
    help="Size of each population.",
)
@click.option(
    "--seed", default=7, show_default=True, type=int, help="Seed of the population generators."
)
@click.option(
    "--k",
    "k",
    default=10,
    show_default=True,
    type=click.IntRange(min=1, max=100),
    help="Recommendations per participant.",
)
@click.option(
    "--repeats",
    default=1,
    show_default=True,
    type=click.IntRange(min=1, max=10),
    help="Timed runs; the median is reported.",
)
@click.option(
    "--ablations/--no-ablations",
    default=True,
    show_default=True,
    help="Also rank the realistic set with each signal alone and without the lexicon.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def bench_matching(
    which: str,
    participants: int,
    seed: int,
    k: int,
    repeats: int,
    ablations: bool,
    as_json: bool,
) -> None:
    """Recommend for every participant; report recall@k, MRR@k, baselines and seconds."""
    report: dict[str, object] = {}
    if which in ("both", "realistic"):
        report["realistic"] = run_realistic_bench(participants, seed, k, repeats, ablations)
    if which in ("both", "synthetic"):
        report["synthetic"] = run_matching_bench(participants, seed, k, repeats)
    if as_json:
        click.echo(json.dumps(report, sort_keys=True))
        return
    for name, result in report.items():
        click.echo(f"== {name}")
        _print(result, "  ")


def _print(value: object, indent: str) -> None:
    if not isinstance(value, dict):
        return
    width = max((len(str(key)) for key in value), default=0)
    for key, item in value.items():
        if isinstance(item, dict):
            click.echo(f"{indent}{key}:")
            _print(item, indent + "  ")
        else:
            click.echo(f"{indent}{key:<{width}}  {item}")
