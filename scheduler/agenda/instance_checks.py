"""Consistency checks of an agenda instance, each error naming the offending field."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields
from typing import TYPE_CHECKING

from scheduler.agenda.errors import InvalidAgendaInstance

if TYPE_CHECKING:
    from scheduler.agenda.instance import AgendaInstance, Session, TimeGrid

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_instance(instance: AgendaInstance) -> None:
    _check_grid(instance.grid)
    _check_rooms(instance)
    _check_sessions(instance)
    _check_availability(instance)
    _check_co_attendance(instance)
    _check_scalars(instance)
    _check_previous(instance)


def _check_grid(grid: TimeGrid) -> None:
    if not grid.days:
        raise InvalidAgendaInstance("grid.days", "at least one day is needed")
    if len(set(grid.days)) != len(grid.days):
        raise InvalidAgendaInstance("grid.days", "days must be distinct")
    if grid.slots_per_day < 1:
        raise InvalidAgendaInstance("grid.slots_per_day", "must be at least 1")
    if grid.slot_minutes < 1:
        raise InvalidAgendaInstance("grid.slot_minutes", "must be at least 1")
    if not _CLOCK.match(grid.day_start):
        raise InvalidAgendaInstance("grid.day_start", f"{grid.day_start!r} is not HH:MM")
    bad = sorted(slot for slot in grid.blocked if not 0 <= slot < grid.num_slots)
    if bad:
        raise InvalidAgendaInstance("grid.blocked", f"slots {bad} are outside the grid")


def _check_rooms(instance: AgendaInstance) -> None:
    if not instance.rooms:
        raise InvalidAgendaInstance("rooms", "at least one room is needed")
    _check_unique("rooms", [room.id for room in instance.rooms])
    for room in instance.rooms:
        if room.capacity < 0:
            raise InvalidAgendaInstance(f"rooms[{room.id}].capacity", "must not be negative")


def _check_sessions(instance: AgendaInstance) -> None:
    _check_unique("sessions", [session.id for session in instance.sessions])
    for session in instance.sessions:
        _check_session(instance, session)


def _check_session(instance: AgendaInstance, session: Session) -> None:
    where = f"sessions[{session.id}]"
    if not 1 <= session.length <= instance.grid.slots_per_day:
        raise InvalidAgendaInstance(
            f"{where}.length", f"must be between 1 and {instance.grid.slots_per_day} slots"
        )
    if session.audience < 0:
        raise InvalidAgendaInstance(f"{where}.audience", "must not be negative")
    for role in ("speakers", "moderators", "panellists"):
        people = getattr(session, role)
        if any(not person for person in people):
            raise InvalidAgendaInstance(f"{where}.{role}", "person ids must not be empty")
    if session.start_slots is not None:
        bad = sorted(s for s in session.start_slots if not 0 <= s < instance.grid.num_slots)
        if bad:
            raise InvalidAgendaInstance(f"{where}.start_slots", f"slots {bad} outside the grid")
    pin = session.pinned
    if pin is not None:
        if pin.room not in instance.room_by_id:
            raise InvalidAgendaInstance(f"{where}.pinned.room", f"unknown room {pin.room!r}")
        if not 0 <= pin.start < instance.grid.num_slots:
            raise InvalidAgendaInstance(f"{where}.pinned.start", "outside the grid")


def _check_availability(instance: AgendaInstance) -> None:
    _check_unique("availability", [entry.person for entry in instance.availability])
    for entry in instance.availability:
        bad = sorted(s for s in entry.slots if not 0 <= s < instance.grid.num_slots)
        if bad:
            raise InvalidAgendaInstance(
                f"availability[{entry.person}].slots", f"slots {bad} outside the grid"
            )


def _check_co_attendance(instance: AgendaInstance) -> None:
    seen: set[frozenset[str]] = set()
    for entry in instance.co_attendance:
        where = f"co_attendance[{entry.first},{entry.second}]"
        for session_id in (entry.first, entry.second):
            if session_id not in instance.session_by_id:
                raise InvalidAgendaInstance(where, f"unknown session {session_id!r}")
        if entry.first == entry.second:
            raise InvalidAgendaInstance(where, "a session cannot clash with itself")
        if entry.count < 0:
            raise InvalidAgendaInstance(f"{where}.count", "must not be negative")
        pair = frozenset((entry.first, entry.second))
        if pair in seen:
            raise InvalidAgendaInstance(where, "pair listed twice")
        seen.add(pair)


def _check_scalars(instance: AgendaInstance) -> None:
    if instance.min_pause < 0:
        raise InvalidAgendaInstance("min_pause", "must not be negative")
    for weight in fields(instance.weights):
        if getattr(instance.weights, weight.name) < 0:
            raise InvalidAgendaInstance(f"weights.{weight.name}", "must not be negative")


def _check_previous(instance: AgendaInstance) -> None:
    if instance.previous is None:
        return
    _check_unique("previous", [placement.session for placement in instance.previous])
    for placement in instance.previous:
        if not 0 <= placement.start < instance.grid.num_slots:
            raise InvalidAgendaInstance(f"previous[{placement.session}].start", "outside the grid")


def _check_unique(where: str, ids: list[str]) -> None:
    duplicates = sorted(key for key, count in Counter(ids).items() if count > 1)
    if duplicates:
        raise InvalidAgendaInstance(where, f"duplicate ids {duplicates}")
    if any(not key for key in ids):
        raise InvalidAgendaInstance(where, "ids must not be empty")
