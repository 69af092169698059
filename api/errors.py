"""The one place that maps domain and service errors to HTTP answers.

Every error body has the shape flask-smorest uses for validation errors:
``{"code": 422, "status": "Unprocessable Entity", "message": "...", "errors": {...}}``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, has_request_context, render_template, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from api.exceptions import (
    BadRequest,
    ClustermeetError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
    Unauthorized,
    Unprocessable,
)
from api.extensions import db
from matchmaking.errors import MatchmakingError
from scheduler.errors import SchedulerError

log = logging.getLogger(__name__)


def error_body(code: int, message: str, errors: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error")}
    if message:
        body["message"] = message
    if errors:
        body["errors"] = errors
    return body


# Every refusal in the api package is one of these; the first matching class wins.
STATUS_CODES: tuple[tuple[type[ClustermeetError], int], ...] = (
    (BadRequest, 400),
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (Unprocessable, 422),
    (ServiceUnavailable, 503),
)


def status_of(exc: ClustermeetError) -> int:
    return next((code for cls, code in STATUS_CODES if isinstance(exc, cls)), 400)


def wants_web_page() -> bool:
    """A browser page (not the API, not a file): errors answer as an HTML page."""
    if not has_request_context() or request.path.startswith("/api/"):
        return False
    return request.blueprint in WEB_PAGE_BLUEPRINTS or request.path == "/"


# The web views' blueprints (api/app.py WEB_BLUEPRINTS); their errors are HTML pages.
WEB_PAGE_BLUEPRINTS = frozenset(
    {
        "home",
        "signin",
        "market",
        "recommendations_web",
        "requests_web",
        "agenda_web",
        "organise",
        "schedules_web",
        "day_web",
        "programme_web",
        "webhooks_web",
    }
)


def web_error_page(code: int, message: str) -> tuple[str, int]:
    return render_template("web/error.html", code=code, message=message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ClustermeetError)
    def handle_service_error(exc: ClustermeetError) -> Any:
        db.session.rollback()
        code = status_of(exc)
        if wants_web_page():
            return web_error_page(code, str(exc))
        errors = {"json": exc.errors} if isinstance(exc, InvalidInput) else None
        return error_body(code, str(exc), errors), code

    @app.errorhandler(SchedulerError)
    @app.errorhandler(MatchmakingError)
    def handle_domain_error(exc: Exception) -> tuple[dict[str, Any], int]:
        db.session.rollback()
        return error_body(422, str(exc)), 422

    @app.errorhandler(IntegrityError)
    def handle_integrity_error(exc: IntegrityError) -> tuple[dict[str, Any], int]:
        # A race lost against a database constraint: nothing was written.
        db.session.rollback()
        log.info("integrity error: %s", exc.orig)
        return error_body(409, "The change conflicts with existing data"), 409

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> Any:
        code = exc.code or 500
        data = getattr(exc, "data", {}) or {}
        message = data.get("message") or exc.description or ""
        if wants_web_page():
            return web_error_page(code, message)
        return error_body(code, message, data.get("errors") or data.get("messages")), code

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Any:
        db.session.rollback()
        log.exception("unhandled error")
        if wants_web_page():
            return web_error_page(500, "Internal error; it has been logged")
        return error_body(500, "Internal error; it has been logged"), 500
