from __future__ import annotations

import click
from flask.cli import with_appcontext

from api.accounts.auth import create_organiser
from api.extensions import db


@click.group()
def organiser() -> None:
    """Manage organiser accounts."""


@organiser.command("create")
@click.argument("name")
@with_appcontext
def create(name: str) -> None:
    """Create an organiser and print its API key (shown only this once)."""
    account, key = create_organiser(name.strip() or "organiser")
    db.session.commit()
    click.echo(f"Organiser {account.name!r} created (id {account.id}).")
    click.echo("API key (store it now, only its hash is kept):")
    click.echo(key)
