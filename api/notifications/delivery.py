"""The background task that sends one stored mail, with retries on passing failures."""

from __future__ import annotations

import logging

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from api.background.tasks import RetryLater, background_task
from api.extensions import db
from api.models import OutgoingMail
from api.models.outgoing_mails import MailStatus
from api.models.types import now_utc
from api.notifications.message import build_message
from api.notifications.settings import smtp_settings
from api.notifications.transport import (
    MailTransport,
    OutboxTransport,
    PermanentFailure,
    SmtpTransport,
    TransientFailure,
)

log = logging.getLogger(__name__)

SEND_MAIL_TASK = "clustermeet.send_mail"


def mail_transport(app: Flask) -> MailTransport:
    settings = smtp_settings(app)
    if settings is None:
        return OutboxTransport(str(app.config["MAIL_OUTBOX_DIR"]))
    return SmtpTransport(settings)


def pending_mail_ids() -> list[int]:
    rows = db.session.scalars(
        select(OutgoingMail.id)
        .where(OutgoingMail.status == MailStatus.PENDING.value)
        .order_by(OutgoingMail.id)
    )
    return list(rows)


@background_task(SEND_MAIL_TASK, pending=pending_mail_ids)
def send_mail(mail_id: int) -> str:
    """One attempt; raises ``RetryLater`` while a passing failure has attempts left."""
    try:
        return _attempt(mail_id)
    except OperationalError as exc:
        # SQLite lets one writer in at a time; a long transaction elsewhere is passing.
        db.session.rollback()
        raise RetryLater(f"database busy: {exc.orig}", delay_s=5.0) from exc


def _attempt(mail_id: int) -> str:
    mail = db.session.get(OutgoingMail, mail_id)
    if mail is None or mail.status != MailStatus.PENDING:
        return mail.status if mail else "missing"
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    message = build_message(mail, str(app.config["MAIL_FROM"]))
    mail.attempts += 1
    try:
        mail_transport(app).send(message)
    except PermanentFailure as exc:
        _give_up(mail, str(exc))
        return mail.status
    except TransientFailure as exc:
        mail.last_error = str(exc)[:1000]
        if mail.attempts >= int(app.config.get("MAIL_MAX_ATTEMPTS", 8)):
            _give_up(mail, mail.last_error)
            return mail.status
        db.session.commit()
        raise RetryLater(mail.last_error) from exc
    mail.status = MailStatus.SENT.value
    mail.sent_dt = now_utc()
    mail.last_error = ""
    forget_contents(mail)
    db.session.commit()
    return mail.status


def forget_contents(mail: OutgoingMail) -> None:
    """Keep who got what kind of mail when, not what it said: bodies name other people
    (partners, requesters), who may ask to be erased; nothing needs them once sent."""
    mail.subject = ""
    mail.text_body = ""
    mail.html_body = ""
    mail.attachments = []


def _give_up(mail: OutgoingMail, error: str) -> None:
    mail.status = MailStatus.FAILED.value
    mail.last_error = error[:1000]
    forget_contents(mail)
    db.session.commit()
    # Ids only: addresses and bodies stay out of logs.
    log.warning("mail %s (%s) failed after %s attempts", mail.id, mail.kind, mail.attempts)
