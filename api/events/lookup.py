"""Fetching one object of an event by id, the same way everywhere."""

from __future__ import annotations

from typing import Any, TypeVar

from api.exceptions import NotFound
from api.extensions import db
from api.models import Event

M = TypeVar("M")


def get_in_event(model: type[M], event: Event, object_id: int, label: str) -> M:
    """An object of the event; one from another event is as absent as a missing one."""
    obj: Any = db.session.get(model, object_id)
    if obj is None or obj.event_id != event.id:
        raise NotFound(f"{label} not found")
    result: M = obj
    return result
