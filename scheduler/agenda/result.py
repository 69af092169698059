"""Output of the agenda scheduler: placements, soft-term values and the re-solve diff."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from scheduler.agenda.instance import Placement, Weights


class AgendaStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SoftTerms:
    attendee_clashes: int = 0
    theme_parallel: int = 0
    theme_room_changes: int = 0
    overflow_total: int = 0
    overflow_max: int = 0
    moves: int = 0

    def weighted(self, weights: Weights) -> int:
        return sum(getattr(self, f.name) * getattr(weights, f.name) for f in fields(self))


@dataclass(frozen=True)
class Move:
    session: str
    before: Placement
    after: Placement


@dataclass(frozen=True)
class AgendaDiff:
    new: tuple[str, ...]
    moved: tuple[Move, ...]
    cancelled: tuple[str, ...]
    unchanged: int


@dataclass(frozen=True)
class Progress:
    objective: float
    bound: float
    elapsed_s: float


@dataclass(frozen=True)
class AgendaResult:
    status: AgendaStatus
    objective: int | None
    bound: float | None
    seconds: float
    placements: tuple[Placement, ...] = ()
    terms: SoftTerms | None = None
    diff: AgendaDiff | None = None
    stopped: bool = False
    message: str = ""

    @property
    def has_agenda(self) -> bool:
        return self.status in (AgendaStatus.OPTIMAL, AgendaStatus.FEASIBLE)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = str(self.status)
        return data
