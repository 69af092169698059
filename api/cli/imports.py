from __future__ import annotations

import csv
from collections.abc import Mapping
from typing import BinaryIO

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from api.exceptions import InvalidInput
from api.extensions import db
from api.models import Event
from api.registration.participant_import import import_participants


@click.group("import")
def import_group() -> None:
    """Import data from files."""


def _problems(errors: Mapping[str, object]) -> list[str]:
    lines: list[str] = []
    for key, value in errors.items():
        if key == "rows" and isinstance(value, list):
            lines += [f"line {row['line']}: {row['errors']}" for row in value]
        elif key == "unknown_tags" and isinstance(value, list):
            lines += [f"unknown tag {t['tag']!r} (lines {t['lines']})" for t in value]
        else:
            lines.append(f"{key}: {value}")
    return lines


@import_group.command("participants")
@click.argument("file", type=click.File("rb"))
@click.option("--event", "slug", required=True, help="The event's slug.")
@click.option("--create-tags", is_flag=True, help="Create tags the event does not have yet.")
@click.option(
    "--tokens-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write email,access_token per participant to this CSV file.",
)
@with_appcontext
def import_participants_command(
    file: BinaryIO, slug: str, create_tags: bool, tokens_out: str | None
) -> None:
    """Import participants from a CSV or XLSX FILE: all rows or none, errors by line."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"No event with slug {slug!r}.")
    try:
        result = import_participants(
            event, file.read(), getattr(file, "name", ""), create_tags=create_tags
        )
    except InvalidInput as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}:\n  " + "\n  ".join(_problems(exc.errors))) from exc
    db.session.commit()
    click.echo(f"Imported {len(result.created)} participants into {event.name}.")
    if result.tags_created:
        click.echo(f"Created tags: {', '.join(t.slug for t in result.tags_created)}.")
    if tokens_out:
        with open(tokens_out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["email", "access_token"])
            writer.writerows((p.email, token) for p, token in result.created)
        click.echo(f"Access tokens written to {tokens_out} (they are not stored anywhere else).")
