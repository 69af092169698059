"""Where a message goes: an SMTP server, or ``.eml`` files in the outbox folder."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from typing import Protocol

from api.notifications.settings import SmtpSettings


class TransportError(Exception):
    pass


class TransientFailure(TransportError):
    """Worth trying again: the server is away, busy, or said 4xx."""


class PermanentFailure(TransportError):
    """Trying again will not help: the server refused the message or recipient (5xx)."""


class MailTransport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    def send(self, message: EmailMessage) -> None:
        s = self._settings
        try:
            smtp: smtplib.SMTP
            if s.tls == "ssl":
                smtp = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout_s, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
            with smtp:
                if s.tls == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if s.user:
                    smtp.login(s.user, s.password)
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise _by_codes([code for code, _ in exc.recipients.values()], exc) from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_codes([exc.smtp_code], exc) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Refused connections, timeouts, TLS trouble, dropped sessions.
            raise TransientFailure(f"{type(exc).__name__}: {exc}") from exc
        if refused:
            # One recipient per message, so a partial refusal cannot happen; be safe anyway.
            raise _by_codes([code for code, _ in refused.values()], None)


def _by_codes(codes: list[int], exc: Exception | None) -> TransportError:
    text = f"SMTP {', '.join(str(c) for c in codes)}" + (f": {exc}" if exc else "")
    if codes and all(500 <= code < 600 for code in codes):
        return PermanentFailure(text)
    return TransientFailure(text)


class OutboxTransport:
    """Writes each message as ``<mail id>-<kind>.eml``; a person reads them with any mail
    program or ``clustermeet mail outbox``. Files are private to the user (0600): they hold
    sign-in links."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def send(self, message: EmailMessage) -> None:
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        name = f"{int(message['X-Clustermeet-Mail-Id']):08d}-{message['X-Clustermeet-Kind']}.eml"
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
            os.replace(tmp, os.path.join(self.directory, name))
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
