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
@click.option("--email", default=None, help="Their e-mail (invitations find them by it).")
@with_appcontext
def create(name: str, email: str | None) -> None:
    """Create an organiser person with a first full-scope API key (shown only this once).

    This is how the first owner starts; everyone else is invited to an event by e-mail
    (POST /api/v1/events/{id}/members) and creates their own keys.
    """
    account, key = create_organiser(name.strip() or "organiser", email=email)
    db.session.commit()
    click.echo(f"Organiser {account.name!r} created (id {account.id}).")
    click.echo("API key (store it now, only its hash is kept):")
    click.echo(key)
