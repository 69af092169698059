"""Configuration from environment variables, with safe defaults for the embedded mode."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from flask import Flask

JOBS_QUEUE = "clustermeet-jobs"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def meeting_link_template(template: str | None) -> str | None:
    """The template if it uses only ``{event_slug}``, ``{event_id}``, ``{meeting_id}`` and
    ``{meeting_secret}``."""
    if not template:
        return None
    try:
        template.format(event_slug="slug", event_id=1, meeting_id=1, meeting_secret="s")
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            "CLUSTERMEET_MEETING_LINK_TEMPLATE may use only {event_slug}, {event_id}, "
            f"{{meeting_id}} and {{meeting_secret}}: {template!r}"
        ) from exc
    return template


def load_config(instance_path: str) -> dict[str, Any]:
    """Return the app configuration; nothing set means the embedded mode.

    Embedded: a SQLite file in the instance folder and an in-process job thread.
    Distributed: ``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL`` (Redis).
    """
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "clustermeet.sqlite")
    )
    # Heroku-style URLs still say postgres://, which SQLAlchemy 2 no longer accepts.
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url.removeprefix("postgres://")
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "JOBS_BACKEND": os.environ.get("CLUSTERMEET_JOBS", "celery" if broker_url else "thread"),
        "CELERY": {
            "broker_url": broker_url or "memory://",
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "task_soft_time_limit": _env_int("CLUSTERMEET_TASK_SOFT_LIMIT", 900),
            "task_time_limit": _env_int("CLUSTERMEET_TASK_HARD_LIMIT", 960),
            "broker_connection_retry_on_startup": True,
        },
        "SOLVER_TIME_LIMIT": float(os.environ.get("CLUSTERMEET_SOLVER_TIME_LIMIT", "60")),
        # Webhooks to loopback/private/link-local addresses (issue 17.6): off by default.
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": os.environ.get("CLUSTERMEET_WEBHOOK_ALLOW_PRIVATE", "")
        in ("1", "true", "yes"),
        # Rate limits (Flask-Limiter syntax); shared storage when several processes serve.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or (broker_url if broker_url.startswith("redis") else "memory://"),
        "RATELIMIT_AUTH_FAILURES": os.environ.get(
            "CLUSTERMEET_RATELIMIT_AUTH_FAILURES", "30 per minute"
        ),
        "RATELIMIT_REGISTRATION": os.environ.get(
            "CLUSTERMEET_RATELIMIT_REGISTRATION", "10 per minute;100 per hour"
        ),
        # Sign-in mail requests: per client address, and per e-mail address asked for.
        "RATELIMIT_SIGN_IN_MAIL": os.environ.get(
            "CLUSTERMEET_RATELIMIT_SIGN_IN_MAIL", "10 per minute;100 per hour"
        ),
        "RATELIMIT_SIGN_IN_MAIL_PER_EMAIL": os.environ.get(
            "CLUSTERMEET_RATELIMIT_SIGN_IN_MAIL_PER_EMAIL", "5 per 15 minutes;20 per day"
        ),
        # Bodies above this answer 413 before being read (CSV imports included).
        "MAX_CONTENT_LENGTH": _env_int("CLUSTERMEET_MAX_BODY_BYTES", 2 * 1024 * 1024),
        # How long a job stays with the process running it without a heartbeat.
        "JOB_LEASE_SECONDS": float(os.environ.get("CLUSTERMEET_JOB_LEASE_SECONDS", "60")),
        "SOLVER_WORKERS": _env_int("CLUSTERMEET_SOLVER_WORKERS", 2),
        "PUBLIC_BASE_URL": os.environ.get("CLUSTERMEET_BASE_URL", "http://localhost:5000"),
        # The browser session of a participant who signed in by link: HttpOnly, not sent
        # on cross-site requests, HTTPS-only when the site is served over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("CLUSTERMEET_BASE_URL", "").startswith("https://"),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        # The server-wide video link of an online meeting, e.g. "https://meet.example.org/
        # {event_slug}-{meeting_secret}"; an event's own video_link_template comes first.
        "MEETING_LINK_TEMPLATE": meeting_link_template(
            os.environ.get("CLUSTERMEET_MEETING_LINK_TEMPLATE")
        ),
        "API_TITLE": "clustermeet",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "v1/openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        # Served from the swagger-ui-bundle package by api.http.docs_assets, never a CDN;
        # no validator badge either (it would send the document to validator.swagger.io).
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
        "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
        "API_SPEC_OPTIONS": {
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer"},
                }
            },
            "security": [{"bearer": []}],
        },
    }


def celery_settings(app: Flask) -> dict[str, Any]:
    """The app's CELERY settings completed with what crash recovery on Redis needs.

    Redis has no per-connection acknowledgements: a message taken by a worker that dies
    with its whole machine comes back only after ``visibility_timeout``. It must exceed
    the hard time limit, or a slow job still running would be handed to a second worker;
    the sweep that brings such messages back runs every ``unacked_restore_interval``
    seconds (kombu's default throttle makes it ten times rarer, hence ``throttle=1``).
    """
    settings = dict(app.config["CELERY"])
    hard_limit = int(settings.get("task_time_limit") or 960)
    transport = {
        "visibility_timeout": _env_int("CLUSTERMEET_VISIBILITY_TIMEOUT", hard_limit + 60),
        "unacked_restore_interval": _env_int("CLUSTERMEET_RESTORE_INTERVAL", 10),
        "unacked_restore_throttle": 1,
    }
    transport.update(settings.get("broker_transport_options") or {})
    settings["broker_transport_options"] = transport
    settings.setdefault("task_default_queue", JOBS_QUEUE)
    return settings
