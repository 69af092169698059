"""Factories for small agenda instances."""

from collections.abc import Callable
from typing import Any

import pytest

from scheduler.agenda import AgendaInstance, Room, Session, SessionKind, TimeGrid, Weights

MakeInstance = Callable[..., AgendaInstance]
MakeSession = Callable[..., Session]


@pytest.fixture
def make_session() -> MakeSession:
    def make(session_id: str, length: int = 1, **fields: Any) -> Session:
        fields.setdefault("kind", SessionKind.PARALLEL)
        return Session(id=session_id, title=session_id.upper(), length=length, **fields)

    return make


@pytest.fixture
def make_instance() -> MakeInstance:
    """Defaults: one day, rooms r1 and r2 of capacity 100, all soft weights zero."""

    def make(
        sessions: tuple[Session, ...],
        slots_per_day: int = 4,
        days: int = 1,
        rooms: tuple[Room, ...] | None = None,
        blocked: frozenset[int] = frozenset(),
        weights: Weights | None = None,
        **fields: Any,
    ) -> AgendaInstance:
        grid = TimeGrid(
            days=tuple(f"2025-06-{day + 1:02d}" for day in range(days)),
            slots_per_day=slots_per_day,
            slot_minutes=30,
            blocked=blocked,
        )
        return AgendaInstance(
            grid=grid,
            rooms=rooms or (Room("r1", "Room 1", 100), Room("r2", "Room 2", 100)),
            sessions=sessions,
            weights=weights or Weights(0, 0, 0, 0, 0, 0),
            **fields,
        )

    return make
