"""Errors raised on purpose by the agenda scheduler."""

from scheduler.errors import SchedulerError


class AgendaError(SchedulerError):
    """Root of the agenda scheduler's errors."""


class InvalidAgendaInstance(AgendaError):
    """The instance contradicts itself; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class AgendaModelInvalid(AgendaError):
    """CP-SAT rejected the model: a bug in the model, never a property of the input."""
