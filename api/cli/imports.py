from __future__ import annotations

import csv
from typing import TextIO

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from api.exceptions import InvalidInput
from api.extensions import db
from api.models import Event
from api.registration.csv_import import import_participants


@click.group("import")
def import_group() -> None:
    """Import data from files."""


@import_group.command("participants")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--event", "slug", required=True, help="The event's slug.")
@click.option(
    "--tokens-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write email,access_token per participant to this CSV file.",
)
@with_appcontext
def import_participants_command(file: TextIO, slug: str, tokens_out: str | None) -> None:
    """Import participants from a CSV FILE: all rows or none, errors by line."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"No event with slug {slug!r}.")
    try:
        text = file.read()
    except UnicodeDecodeError as exc:
        raise click.ClickException("The file is not UTF-8 text.") from exc
    try:
        created = import_participants(event, text)
    except InvalidInput as exc:
        db.session.rollback()
        lines = [f"{where}: {problems}" for where, problems in exc.errors.items()]
        raise click.ClickException(f"{exc}:\n  " + "\n  ".join(lines)) from exc
    db.session.commit()
    click.echo(f"Imported {len(created)} participants into {event.name}.")
    if tokens_out:
        with open(tokens_out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["email", "access_token"])
            writer.writerows((p.email, token) for p, token in created)
        click.echo(f"Access tokens written to {tokens_out} (they are not stored anywhere else).")
