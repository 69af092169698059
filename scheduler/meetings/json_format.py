"""The project's own JSON instance format (documented in docs/formats/meetings-instance.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from scheduler.meetings.dzn import read_dzn
from scheduler.meetings.errors import InstanceFormatError, InvalidInstanceError
from scheduler.meetings.instance import (
    DayPart,
    Meeting,
    MeetingInstance,
    Participant,
    Placement,
    Table,
    numbered_tables,
)

FORMAT = "clustermeet.meetings/1"


def _get(obj: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in obj:
        raise InstanceFormatError(f"{where}.{key}: missing")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise InstanceFormatError(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}")
    return value


def _opt(obj: Mapping[str, Any], key: str, where: str, kind: type, default: Any) -> Any:
    if obj.get(key) is None:
        return default
    return _get(obj, key, where, kind)


def _int_list(value: Any, where: str) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise InstanceFormatError(f"{where}: expected a list of integers")
    return value


def _participant(raw: Any, i: int) -> Participant:
    where = f"participants[{i}]"
    if not isinstance(raw, dict):
        raise InstanceFormatError(f"{where}: expected an object")
    return Participant(
        id=_get(raw, "id", where, str),
        name=_opt(raw, "name", where, str, ""),
        forbidden_slots=frozenset(
            _int_list(raw.get("forbidden_slots", []), f"{where}.forbidden_slots")
        ),
        max_meetings=_opt(raw, "max_meetings", where, int, None),
    )


def _meeting(raw: Any, i: int) -> Meeting:
    where = f"meetings[{i}]"
    if not isinstance(raw, dict):
        raise InstanceFormatError(f"{where}: expected an object")
    pair = _get(raw, "participants", where, list)
    if len(pair) != 2 or not all(isinstance(p, str) for p in pair):
        raise InstanceFormatError(f"{where}.participants: expected two participant id strings")
    session = _opt(raw, "session", where, str, "either")
    try:
        session_value = DayPart(session)
    except ValueError as exc:
        raise InstanceFormatError(
            f"{where}.session: expected morning, afternoon or either, got {session!r}"
        ) from exc
    return Meeting(
        id=_get(raw, "id", where, str),
        participant_a=pair[0],
        participant_b=pair[1],
        day_part=session_value,
        priority=_opt(raw, "priority", where, int, 1),
        fixed_slot=_opt(raw, "fixed_slot", where, int, None),
        is_online=_opt(raw, "online", where, bool, False),
    )


def _table(raw: Any, i: int) -> Table:
    where = f"tables[{i}]"
    if not isinstance(raw, dict):
        raise InstanceFormatError(f"{where}: expected an object")
    return Table(
        id=_get(raw, "id", where, str),
        name=_opt(raw, "name", where, str, ""),
        reserved_for=_opt(raw, "reserved_for", where, str, None),
    )


def instance_from_dict(data: Any) -> MeetingInstance:
    if not isinstance(data, dict):
        raise InstanceFormatError("top level: expected an object")
    slots = _get(data, "slots", "instance", dict)
    raw_tables = data.get("tables", [])
    if isinstance(raw_tables, int) and not isinstance(raw_tables, bool):
        tables = numbered_tables(raw_tables)
    elif isinstance(raw_tables, list):
        tables = tuple(_table(t, i) for i, t in enumerate(raw_tables))
    else:
        raise InstanceFormatError("instance.tables: expected a count or a list of tables")
    precedences = []
    for i, pair in enumerate(data.get("precedences", [])):
        is_pair = isinstance(pair, list) and len(pair) == 2
        if not (is_pair and all(isinstance(p, str) for p in pair)):
            raise InstanceFormatError(f"precedences[{i}]: expected [earlier id, later id]")
        precedences.append((pair[0], pair[1]))
    previous: dict[str, Placement] = {}
    raw_previous = data.get("previous", {})
    if not isinstance(raw_previous, dict):
        raise InstanceFormatError("instance.previous: expected an object")
    for mid, raw in raw_previous.items():
        if not isinstance(raw, dict):
            raise InstanceFormatError(f"previous.{mid}: expected an object")
        previous[mid] = Placement(
            slot=_get(raw, "slot", f"previous.{mid}", int),
            table=_opt(raw, "table", f"previous.{mid}", str, None),
        )
    pinned = data.get("pinned", [])
    if not isinstance(pinned, list) or not all(isinstance(p, str) for p in pinned):
        raise InstanceFormatError("instance.pinned: expected a list of meeting ids")
    fairness = data.get("fairness", 2)
    if fairness is not None and (not isinstance(fairness, int) or isinstance(fairness, bool)):
        raise InstanceFormatError("instance.fairness: expected an integer or null")
    labels = data.get("slots", {}).get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(v, str) for v in labels):
        raise InstanceFormatError("slots.labels: expected a list of strings")
    count = _get(slots, "count", "slots", int)
    raw_participants = _get(data, "participants", "instance", list)
    try:
        return MeetingInstance(
            participants=tuple(_participant(p, i) for i, p in enumerate(raw_participants)),
            meetings=tuple(
                _meeting(m, i) for i, m in enumerate(_get(data, "meetings", "instance", list))
            ),
            n_slots=count,
            n_morning_slots=_opt(slots, "morning", "slots", int, count),
            tables=tables,
            precedences=tuple(precedences),
            fairness=fairness,
            fairness_excludes_forced=_opt(
                data, "fairness_excludes_forced", "instance", bool, False
            ),
            previous=previous,
            pinned=frozenset(pinned),
            name=_opt(data, "name", "instance", str, ""),
            slot_labels=tuple(labels),
        )
    except InvalidInstanceError as exc:
        raise InstanceFormatError(str(exc)) from exc


def instance_to_dict(instance: MeetingInstance) -> dict[str, Any]:
    slots: dict[str, Any] = {"count": instance.n_slots, "morning": instance.n_morning_slots}
    if instance.slot_labels:
        slots["labels"] = list(instance.slot_labels)
    out: dict[str, Any] = {
        "format": FORMAT,
        "name": instance.name,
        "slots": slots,
        "fairness": instance.fairness,
        "fairness_excludes_forced": instance.fairness_excludes_forced,
        "tables": [
            {"id": t.id, "name": t.name, "reserved_for": t.reserved_for} for t in instance.tables
        ],
        "participants": [
            {
                "id": p.id,
                "name": p.name,
                "forbidden_slots": sorted(p.forbidden_slots),
                "max_meetings": p.max_meetings,
            }
            for p in instance.participants
        ],
        "meetings": [
            {
                "id": m.id,
                "participants": [m.participant_a, m.participant_b],
                "session": m.day_part.value,
                "priority": m.priority,
                "fixed_slot": m.fixed_slot,
                "online": m.is_online,
            }
            for m in instance.meetings
        ],
        "precedences": [list(pair) for pair in instance.precedences],
    }
    if instance.previous:
        out["previous"] = {
            mid: {"slot": p.slot, "table": p.table} for mid, p in instance.previous.items()
        }
        out["pinned"] = sorted(instance.pinned)
    return out


def read_json(path: str | Path) -> MeetingInstance:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InstanceFormatError(f"{path} is not valid JSON: {exc}") from exc
    return instance_from_dict(data)


def write_json(instance: MeetingInstance, path: str | Path) -> None:
    Path(path).write_text(json.dumps(instance_to_dict(instance), indent=2) + "\n", encoding="utf-8")


def read_instance(path: str | Path, fairness: int | str | None = "file") -> MeetingInstance:
    """Read a ``.dzn`` or ``.json`` instance; ``fairness`` other than "file" overrides it."""
    path = Path(path)
    if path.suffix == ".dzn":
        instance = read_dzn(path)
    elif path.suffix == ".json":
        instance = read_json(path)
    else:
        raise InstanceFormatError(f"{path}: expected a .dzn or .json file")
    if fairness != "file":
        assert fairness is None or isinstance(fairness, int)
        instance = replace(instance, fairness=fairness)
    return instance
