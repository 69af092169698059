"""Agenda scheduler: sessions to rooms and start slots with CP-SAT."""

from scheduler.agenda.errors import AgendaError, AgendaModelInvalid, InvalidAgendaInstance
from scheduler.agenda.instance import (
    AgendaInstance,
    Availability,
    CoAttendance,
    Pin,
    Placement,
    Room,
    Session,
    SessionKind,
    TimeGrid,
    Weights,
)
from scheduler.agenda.result import (
    AgendaDiff,
    AgendaResult,
    AgendaStatus,
    Move,
    Progress,
    SoftTerms,
)
from scheduler.agenda.solve import SolveOptions, solve

__all__ = [
    "AgendaDiff",
    "AgendaError",
    "AgendaInstance",
    "AgendaModelInvalid",
    "AgendaResult",
    "AgendaStatus",
    "Availability",
    "CoAttendance",
    "InvalidAgendaInstance",
    "Move",
    "Pin",
    "Placement",
    "Progress",
    "Room",
    "Session",
    "SessionKind",
    "SoftTerms",
    "SolveOptions",
    "TimeGrid",
    "Weights",
    "solve",
]
