"""The api package's exception root; api/errors.py alone turns these into HTTP answers.

Operations and guards raise these; nothing else in ``api`` chooses a status code.
"""

from __future__ import annotations


class ClustermeetError(Exception):
    """Root of the errors raised by the api package (a 400 unless a subclass says more)."""


class BadRequest(ClustermeetError):
    """A request the server cannot read at all (400)."""


class Unauthorized(ClustermeetError):
    """No credentials, or credentials that belong to nobody (401)."""


class Forbidden(ClustermeetError):
    """Known caller, not allowed to do this (403)."""


class NotFound(ClustermeetError):
    """The object does not exist, or the caller may not know it exists (404)."""


class Conflict(ClustermeetError):
    """The change clashes with the current state (409)."""


class Unprocessable(ClustermeetError):
    """Well-formed input that cannot be processed (422)."""


class InvalidInput(Unprocessable):
    """Input that passed its schema but breaks a rule; ``errors`` maps field -> messages."""

    def __init__(self, errors: dict[str, list[str]] | dict[str, object], message: str = "") -> None:
        super().__init__(message or "Invalid input")
        self.errors = errors


class ServiceUnavailable(ClustermeetError):
    """A service the request needs (the job queue) cannot be reached (503)."""


class JobFailed(ClustermeetError):
    """A job cannot produce a result; the message tells the organiser what to change."""
