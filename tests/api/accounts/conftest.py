"""Account tests use the mail test app: SQLite, mail to a loopback SMTP server."""

from tests.api.notifications.conftest import app, smtp

__all__ = ["app", "smtp"]
