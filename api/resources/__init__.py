"""One folder per resource: ``routes.py`` (blueprint, views) and ``schemas.py``."""

from __future__ import annotations

from importlib import import_module

from flask_smorest import Api

RESOURCES = (
    "events",
    "organisations",
    "participants",
    "opportunities",
    "schedules",
    "tags",
    "tables",
    "rooms",
    "sessions",
    "signups",
    "jobs",
    "agenda_exports",
    "meeting_requests",
    "recommendations",
    "meetings",
    "webhooks",
    "stats",
    "exports",
)


def register_resources(api: Api) -> None:
    for name in RESOURCES:
        module = import_module(f"api.resources.{name}.routes")
        api.register_blueprint(module.blp)
