"""One-to-one meeting scheduling (Bofill et al., JAIR 2022, plus real-event extensions).

Build a :class:`MeetingInstance` (or read one with :func:`read_dzn` / :func:`read_json`),
call :func:`solve`, check the result with :func:`validate`.
"""

from scheduler.meetings.dzn import read_dzn
from scheduler.meetings.errors import InstanceFormatError, InvalidInstanceError, ModelInvalidError
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
from scheduler.meetings.solve import solve
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
