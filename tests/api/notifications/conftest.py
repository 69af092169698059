"""Mail tests run against a real SMTP server on loopback; the app sends to it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from api.background.runner import background_runner
from api.extensions import db
from tests.conftest import make_app
from tests.mail_server import SmtpServer, smtp_server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path, smtp: SmtpServer) -> Iterator[Flask]:
    """The app on SQLite, sending mail to the loopback server, retrying at once."""
    apps = make_app(
        request,
        "sqlite",
        tmp_path,
        SMTP_HOST=smtp.host,
        SMTP_PORT=smtp.port,
        SMTP_TLS="none",
        BACKGROUND_RETRY_BASE_S=0.0,
        MAIL_MAX_ATTEMPTS=3,
        PUBLIC_BASE_URL="https://meet.example.org",
    )
    flask_app = next(apps)
    yield flask_app
    # What the test left uncommitted goes first: on SQLite an open write transaction
    # (a refused operation that had flushed) would keep the mail thread waiting for the
    # lock until the join below gave up.
    db.session.rollback()
    # An upper bound, not a speed target: what is left then is dropped with the app.
    runner = background_runner(flask_app)
    if not runner.join(timeout=120):  # type: ignore[attr-defined]
        runner.discard(timeout=30)  # type: ignore[attr-defined]
    next(apps, None)


def wait_for_mail(app: Flask) -> None:
    """Let the background thread send everything queued, retries included."""
    assert background_runner(app).join(timeout=120)  # type: ignore[attr-defined]


def mailed_sign_in_link(app: Flask, smtp: SmtpServer, email: str) -> tuple[str, str]:
    """The last mail to the address once everything queued is sent: its plain text and
    the path of the sign-in link it holds."""
    wait_for_mail(app)
    body = smtp.to(email)[-1].get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    found = re.search(r"https://meet\.example\.org(/sign-in/\S+)", text)
    assert found is not None, "the mail holds a sign-in link"
    return text, found.group(1)
