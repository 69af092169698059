"""Absolute links for mail and feeds, from ``CLUSTERMEET_BASE_URL``."""

from __future__ import annotations

from flask import current_app


def public_url(path: str) -> str:
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/") + path
