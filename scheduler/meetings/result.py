"""What a meeting solve returns: the schedule, its quality and why meetings were left out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class UnscheduledReason(StrEnum):
    NO_COMMON_FREE_SLOT = "no_common_free_slot"
    PARTICIPANT_FULL = "participant_full"
    TABLES_FULL = "tables_full"
    PRECEDENCE = "precedence"
    # Every constraint could have been met alone; together they left no room.
    DISPLACED = "displaced_by_higher_priority"


@dataclass(frozen=True)
class Assignment:
    slot: int
    table: str | None  # None for an online meeting


@dataclass(frozen=True)
class Unscheduled:
    meeting_id: str
    reason: UnscheduledReason
    participant_ids: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class ScheduleDiff:
    new: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    objective: float | None
    bound: float | None
    elapsed_s: float


# Where a search reports its progress (a job page's bar, a race's merged stream).
ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True)
class MeetingResult:
    status: Status
    objective: int | None  # total breaks of the returned schedule
    bound: float | None  # proven lower bound on total breaks, when the solve proves one
    seconds: float
    assignments: Mapping[str, Assignment] = field(default_factory=lambda: MappingProxyType({}))
    breaks: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    unscheduled: tuple[Unscheduled, ...] = ()
    diff: ScheduleDiff | None = None
    infeasible_reason: str = ""
    scheduled_weight: int = 0
    moves: int = 0
    table_changes: int = 0
    solver: str = "cp-sat"
    # Meetings may be left out: proven upper bound on ``scheduled_weight`` (bounds.py).
    weight_bound: int | None = None

    @property
    def gap(self) -> float | None:
        """Breaks above the proven lower bound (0 when proven optimal), if both are known."""
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.objective - self.bound)
