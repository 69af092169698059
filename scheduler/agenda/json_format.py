"""Reading and writing agenda instances as JSON (see docs/formats/agenda-instance.md)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from scheduler.agenda.errors import InvalidAgendaInstance
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

FORMAT = "clustermeet-agenda-instance/1"
_MISSING = object()


def instance_to_dict(instance: AgendaInstance) -> dict[str, Any]:
    grid = instance.grid
    return {
        "format": FORMAT,
        "grid": {
            "days": list(grid.days),
            "slots_per_day": grid.slots_per_day,
            "slot_minutes": grid.slot_minutes,
            "day_start": grid.day_start,
            "blocked": sorted(grid.blocked),
        },
        "rooms": [
            {"id": r.id, "name": r.name, "capacity": r.capacity, "features": sorted(r.features)}
            for r in instance.rooms
        ],
        "sessions": [_session_to_dict(s) for s in instance.sessions],
        "availability": {a.person: sorted(a.slots) for a in instance.availability},
        "co_attendance": [asdict(c) for c in instance.co_attendance],
        "min_pause": instance.min_pause,
        "weights": asdict(instance.weights),
        "previous": None if instance.previous is None else [asdict(p) for p in instance.previous],
    }


def _session_to_dict(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "title": session.title,
        "kind": str(session.kind),
        "length": session.length,
        "theme": session.theme,
        "required_features": sorted(session.required_features),
        "speakers": list(session.speakers),
        "moderators": list(session.moderators),
        "panellists": list(session.panellists),
        "audience": session.audience,
        "pinned": None if session.pinned is None else asdict(session.pinned),
        "start_slots": None if session.start_slots is None else sorted(session.start_slots),
    }


def instance_from_dict(data: Any) -> AgendaInstance:
    root = _Reader(data, "")
    fmt = root.get("format", str, FORMAT)
    if fmt != FORMAT:
        raise InvalidAgendaInstance("format", f"expected {FORMAT!r}, got {fmt!r}")
    grid = root.child("grid")
    availability = root.get("availability", dict, {})
    previous = root.get("previous", list, None)
    weights = root.child("weights", optional=True)
    return AgendaInstance(
        grid=TimeGrid(
            days=tuple(grid.get_list("days", str)),
            slots_per_day=grid.get("slots_per_day", int),
            slot_minutes=grid.get("slot_minutes", int),
            day_start=grid.get("day_start", str, "09:00"),
            blocked=frozenset(grid.get_list("blocked", int, [])),
        ),
        rooms=tuple(
            Room(
                id=room.get("id", str),
                name=room.get("name", str, room.get("id", str)),
                capacity=room.get("capacity", int),
                features=frozenset(room.get_list("features", str, [])),
            )
            for room in root.children("rooms")
        ),
        sessions=tuple(_session_from(reader) for reader in root.children("sessions")),
        availability=tuple(
            Availability(
                person, frozenset(_Reader(availability, "availability").get_list(person, int))
            )
            for person in availability
        ),
        co_attendance=tuple(
            CoAttendance(c.get("first", str), c.get("second", str), c.get("count", int))
            for c in root.children("co_attendance", optional=True)
        ),
        min_pause=root.get("min_pause", int, 0),
        weights=Weights(
            **{
                f.name: weights.get(f.name, int, getattr(Weights(), f.name))
                for f in fields(Weights)
            }
        ),
        previous=None
        if previous is None
        else tuple(
            Placement(p.get("session", str), p.get("room", str), p.get("start", int))
            for p in root.children("previous")
        ),
    )


def _session_from(reader: _Reader) -> Session:
    kind_name = reader.get("kind", str)
    try:
        kind = SessionKind(kind_name)
    except ValueError:
        allowed = ", ".join(k.value for k in SessionKind)
        raise InvalidAgendaInstance(
            f"{reader.path}.kind", f"{kind_name!r} is not one of {allowed}"
        ) from None
    pinned = reader.child("pinned", optional=True)
    start_slots = reader.get("start_slots", list, None)
    return Session(
        id=reader.get("id", str),
        title=reader.get("title", str, reader.get("id", str)),
        kind=kind,
        length=reader.get("length", int),
        theme=reader.get("theme", str, None),
        required_features=frozenset(reader.get_list("required_features", str, [])),
        speakers=tuple(reader.get_list("speakers", str, [])),
        moderators=tuple(reader.get_list("moderators", str, [])),
        panellists=tuple(reader.get_list("panellists", str, [])),
        audience=reader.get("audience", int, 0),
        pinned=None if pinned.empty else Pin(pinned.get("room", str), pinned.get("start", int)),
        start_slots=None if start_slots is None else frozenset(reader.get_list("start_slots", int)),
    )


def load_instance(path: str | Path) -> AgendaInstance:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InvalidAgendaInstance("(file)", f"not valid JSON: {error}") from None
    return instance_from_dict(data)


def dump_instance(instance: AgendaInstance, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(instance_to_dict(instance), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


class _Reader:
    """Typed access to a JSON object, naming the dotted path of whatever is wrong."""

    def __init__(self, data: Any, path: str) -> None:
        if data is not None and not isinstance(data, dict):
            raise InvalidAgendaInstance(path or "(root)", "must be a JSON object")
        self.data: dict[str, Any] = data or {}
        self.path = path
        self.empty = data is None

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kind: type[Any], default: Any = _MISSING) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and default is None):
            if default is _MISSING:
                raise InvalidAgendaInstance(self._where(key), "is required")
            return default
        # bool is an int in Python, but true/false is never a count in this format.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InvalidAgendaInstance(self._where(key), f"must be of type {kind.__name__}")
        return value

    def get_list(self, key: str, item: type[Any], default: Any = _MISSING) -> list[Any]:
        values: list[Any] = self.get(key, list, default)
        for index, value in enumerate(values):
            if not isinstance(value, item) or (item is int and isinstance(value, bool)):
                raise InvalidAgendaInstance(
                    f"{self._where(key)}[{index}]", f"must be of type {item.__name__}"
                )
        return values

    def child(self, key: str, optional: bool = False) -> _Reader:
        return _Reader(self.get(key, dict, None if optional else _MISSING), self._where(key))

    def children(self, key: str, optional: bool = False) -> list[_Reader]:
        items = self.get(key, list, [] if optional else _MISSING)
        return [_Reader(item, f"{self._where(key)}[{i}]") for i, item in enumerate(items)]
