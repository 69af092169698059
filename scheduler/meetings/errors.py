"""Errors of the meeting scheduler, all rooted at :class:`scheduler.errors.SchedulerError`."""

from scheduler.errors import SchedulerError


class InvalidInstanceError(SchedulerError):
    """The instance is malformed; ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InstanceFormatError(SchedulerError):
    """An instance file (``.dzn`` or JSON) could not be read."""


class ModelInvalidError(SchedulerError):
    """CP-SAT rejected the model; this is a bug in the model builder, not in the input."""
