"""Wiring the mail into the app: settings, languages, the unsubscribe pages, the CLI."""

from __future__ import annotations

import logging

from flask import Flask

from api.i18n import init_i18n
from api.notifications.settings import mail_config_from_env, smtp_settings

log = logging.getLogger(__name__)


def init_notifications(app: Flask) -> None:
    for key, value in mail_config_from_env(app.instance_path).items():
        app.config.setdefault(key, value)
    init_i18n(app)
    # Importing registers the task under its name for both backends.
    from api.notifications import delivery  # noqa: F401
    from api.notifications.cli import mail_group
    from api.notifications.receivers import connect
    from api.notifications.views import blp

    app.register_blueprint(blp)
    app.cli.add_command(mail_group)
    connect()
    if app.config.get("JOBS_BACKEND") == "celery" and smtp_settings(app) is None:
        log.warning(
            "CLUSTERMEET_SMTP_HOST is not set: mail goes to the outbox folder %s of the worker",
            app.config["MAIL_OUTBOX_DIR"],
        )
