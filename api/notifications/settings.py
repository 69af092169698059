"""Mail settings from the environment; nothing set means the outbox in the instance folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from flask import Flask

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    tls: str
    timeout_s: float

    def __repr__(self) -> str:  # never print the password
        return f"SmtpSettings(host={self.host!r}, port={self.port}, tls={self.tls!r})"


def mail_config_from_env(instance_path: str) -> dict[str, Any]:
    tls = (os.environ.get("CLUSTERMEET_SMTP_TLS") or "starttls").strip().lower()
    if tls not in TLS_MODES:
        raise RuntimeError(f"CLUSTERMEET_SMTP_TLS must be one of {', '.join(TLS_MODES)}")
    port = os.environ.get("CLUSTERMEET_SMTP_PORT")
    return {
        "SMTP_HOST": os.environ.get("CLUSTERMEET_SMTP_HOST", ""),
        "SMTP_PORT": int(port) if port else DEFAULT_PORTS[tls],
        "SMTP_USER": os.environ.get("CLUSTERMEET_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("CLUSTERMEET_SMTP_PASSWORD", ""),
        "SMTP_TLS": tls,
        "SMTP_TIMEOUT_S": float(os.environ.get("CLUSTERMEET_SMTP_TIMEOUT", "30")),
        "MAIL_FROM": os.environ.get("CLUSTERMEET_MAIL_FROM", "clustermeet <no-reply@localhost>"),
        "MAIL_OUTBOX_DIR": os.environ.get("CLUSTERMEET_MAIL_OUTBOX")
        or os.path.join(instance_path, "mail-outbox"),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("CLUSTERMEET_MAIL_MAX_ATTEMPTS", "8")),
        "SIGN_IN_LINK_MINUTES": int(os.environ.get("CLUSTERMEET_SIGN_IN_LINK_MINUTES", "30")),
    }


def smtp_settings(app: Flask) -> SmtpSettings | None:
    """None when no SMTP host is configured: mail then goes to the outbox."""
    host = str(app.config.get("SMTP_HOST") or "")
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(app.config["SMTP_PORT"]),
        user=str(app.config.get("SMTP_USER") or ""),
        password=str(app.config.get("SMTP_PASSWORD") or ""),
        tls=str(app.config.get("SMTP_TLS") or "starttls"),
        timeout_s=float(app.config.get("SMTP_TIMEOUT_S") or 30.0),
    )
