"""``clustermeet mail ...``: read the outbox of the embedded mode."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("mail")
def mail_group() -> None:
    """E-mail: the outbox, reminders."""


def _outbox_files(directory: str) -> list[str]:
    if not os.path.isdir(directory):
        return []
    return sorted(f for f in os.listdir(directory) if f.endswith(".eml"))


def _text(value: object) -> str:
    """A header as a person reads it (encoded words decoded)."""
    return str(make_header(decode_header(str(value or ""))))


def _read(path: str) -> EmailMessage:
    with open(path, "rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    assert isinstance(message, EmailMessage)
    return message


@mail_group.command("outbox")
@click.option("--show", "show", type=int, default=None, help="Print the mail with this id.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@with_appcontext
def outbox(show: int | None, limit: int) -> None:
    """List the mail written to the outbox folder (no SMTP server configured)."""
    directory = str(current_app.config["MAIL_OUTBOX_DIR"])
    files = _outbox_files(directory)
    if show is not None:
        match = [f for f in files if f.split("-", 1)[0].lstrip("0") == str(show)]
        if not match:
            raise click.ClickException(f"No mail {show} in {directory}")
        message = _read(os.path.join(directory, match[0]))
        for header in ("From", "To", "Subject", "Date", "Content-Language"):
            click.echo(f"{header}: {_text(message[header])}")
        body = message.get_body(preferencelist=("plain",))
        click.echo("")
        click.echo(body.get_content() if body is not None else "")
        names = [part.get_filename() for part in message.iter_attachments()]
        if names:
            click.echo("Attachments: " + ", ".join(str(n) for n in names))
        return
    if not files:
        click.echo(f"The outbox {directory} is empty.")
        return
    click.echo(f"{len(files)} mail(s) in {directory} (newest last):")
    for name in files[-limit:]:
        message = _read(os.path.join(directory, name))
        mail_id = name.split("-", 1)[0].lstrip("0")
        click.echo(f"{mail_id:>6}  {_text(message['To']):<40}  {_text(message['Subject'])}")
    click.echo("Read one with: clustermeet mail outbox --show ID")


def _moment(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise click.BadParameter(
            "give a time zone, e.g. 2027-03-09T18:00:00+01:00", param_hint="--now"
        )
    return moment


@mail_group.command("reminders")
@click.option("--now", "now_text", default=None, help="Act as if it were this time (ISO 8601).")
@with_appcontext
def reminders_command(now_text: str | None) -> None:
    """Mail each participant their agenda for tomorrow (run it hourly, e.g. from cron).

    Each person gets one reminder per day, however often this runs.
    """
    from api.extensions import db
    from api.notifications.senders import reminders

    written = reminders(_moment(now_text))
    db.session.commit()
    click.echo(f"{written} reminder(s) written.")


@mail_group.command("expiring")
@click.option(
    "--within", type=click.FloatRange(min=0.1), default=24.0, show_default=True, help="Hours."
)
@click.option("--now", "now_text", default=None, help="Act as if it were this time (ISO 8601).")
@with_appcontext
def expiring_command(within: float, now_text: str | None) -> None:
    """Tell invitees about pending requests that expire within the given hours (once each)."""
    from sqlalchemy import select

    from api.extensions import db
    from api.models import Event, MeetingRequest
    from api.notifications.senders import expiring_requests

    now = _moment(now_text)
    window = timedelta(hours=within)
    event_ids = select(MeetingRequest.event_id).where(
        MeetingRequest.status == "pending",
        MeetingRequest.expires_dt > now,
        MeetingRequest.expires_dt <= now + window,
    )
    written = 0
    for event in db.session.scalars(select(Event).where(Event.id.in_(event_ids))):
        written += expiring_requests(event, now, window)
    db.session.commit()
    click.echo(f"{written} notice(s) written.")
