"""One-to-one meeting scheduling (Bofill et al., JAIR 2022, plus real-event extensions).

Build a :class:`MeetingInstance` (or read one with :func:`read_dzn` / :func:`read_json`),
call :func:`solve`, check the result with :func:`validate`.

The names below load on first use (PEP 562 ``__getattr__``): the SAT child processes
(``python -m scheduler.meetings.maxsat`` and ``... zero_break``) import this package as
well, and loading the whole solver with OR-Tools for them took 0.5-0.9 s of each start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scheduler.meetings.dzn import read_dzn
    from scheduler.meetings.errors import (
        InstanceFormatError,
        InvalidInstanceError,
        ModelInvalidError,
    )
    from scheduler.meetings.instance import (
        DayPart,
        Meeting,
        MeetingInstance,
        Participant,
        Placement,
        Table,
        numbered_tables,
    )
    from scheduler.meetings.json_format import read_instance, read_json, write_json
    from scheduler.meetings.options import SolveOptions
    from scheduler.meetings.result import (
        Assignment,
        MeetingResult,
        Progress,
        ScheduleDiff,
        Status,
        Unscheduled,
        UnscheduledReason,
    )
    from scheduler.meetings.solving import solve
    from scheduler.meetings.validator import Violation, validate

__all__ = [
    "Assignment",
    "DayPart",
    "InstanceFormatError",
    "InvalidInstanceError",
    "Meeting",
    "MeetingInstance",
    "MeetingResult",
    "ModelInvalidError",
    "Participant",
    "Placement",
    "Progress",
    "ScheduleDiff",
    "SolveOptions",
    "Status",
    "Table",
    "Unscheduled",
    "UnscheduledReason",
    "Violation",
    "numbered_tables",
    "read_dzn",
    "read_instance",
    "read_json",
    "solve",
    "validate",
    "write_json",
]

# Where each public name is defined.
_HOME = {
    "dzn": ("read_dzn",),
    "errors": ("InstanceFormatError", "InvalidInstanceError", "ModelInvalidError"),
    "instance": (
        "DayPart",
        "Meeting",
        "MeetingInstance",
        "Participant",
        "Placement",
        "Table",
        "numbered_tables",
    ),
    "json_format": ("read_instance", "read_json", "write_json"),
    "options": ("SolveOptions",),
    "result": (
        "Assignment",
        "MeetingResult",
        "Progress",
        "ScheduleDiff",
        "Status",
        "Unscheduled",
        "UnscheduledReason",
    ),
    "solving": ("solve",),
    "validator": ("Violation", "validate"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}


def __getattr__(name: str) -> Any:
    home = _MODULE_OF.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"scheduler.meetings.{home}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))
