"""The api package's exception root; api/errors.py turns these into HTTP answers."""

from __future__ import annotations


class ClustermeetError(Exception):
    """Root of the errors raised by api services."""


class NotFound(ClustermeetError):
    pass


class Forbidden(ClustermeetError):
    pass


class Conflict(ClustermeetError):
    pass


class InvalidInput(ClustermeetError):
    """Input that passed its schema but breaks a rule; ``errors`` maps field -> messages."""

    def __init__(self, errors: dict[str, list[str]] | dict[str, object], message: str = "") -> None:
        super().__init__(message or "Invalid input")
        self.errors = errors


class JobFailed(ClustermeetError):
    """A job cannot produce a result; the message tells the organiser what to change."""
