from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from rich.console import Console

from api.demo.build import build_demo_event
from api.demo.report import print_event_summary
from api.extensions import db


@click.command("demo")
@click.option(
    "--participants",
    "n_participants",
    default=300,
    show_default=True,
    type=click.IntRange(20, 5000),
    help="How many participants to register.",
)
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to write the outputs.",
)
@click.option("--seed", default=2027, show_default=True, help="Seed of the generated event.")
@with_appcontext
def demo(n_participants: int, out_dir: str, seed: int) -> None:
    """Build a realistic cluster event in the embedded database and show it."""
    from api import MIGRATIONS_DIR

    console = Console()
    upgrade(directory=MIGRATIONS_DIR)
    with console.status("Registering participants and building the programme..."):
        built = build_demo_event(n_participants, seed)
        db.session.commit()
    event = built.event
    print_event_summary(console, event)
    os.makedirs(out_dir, exist_ok=True)
    console.print(
        f"\nDatabase: {current_app.config['SQLALCHEMY_DATABASE_URI']}\n"
        f"Organiser API key for this demo: [bold]{built.organiser_key}[/]\n"
        f"Try: clustermeet run, then open http://127.0.0.1:5000/api/docs "
        f"(event id {event.id})."
    )
