"""The ``clustermeet`` command: Flask's CLI group plus the project's commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from api import create_app
from api.accounts.cli import organiser
from api.cli.demo import demo
from api.cli.imports import import_group
from api.cli.jobs_bench import bench_jobs
from api.cli.requests import requests_group
from api.cli.solve import bench, solve
from api.cli.worker import worker


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
@click.version_option(package_name="clustermeet", prog_name="clustermeet")
def cli() -> None:
    """clustermeet: matchmaking, meeting slots and session agendas for cluster events.

    `run` serves the API, `db upgrade` migrates, `worker` starts a Celery worker.
    """


cli.add_command(organiser)
cli.add_command(demo)
cli.add_command(import_group)
cli.add_command(solve)
cli.add_command(bench)
cli.add_command(worker)
cli.add_command(requests_group)
bench.add_command(bench_jobs)
