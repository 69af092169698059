"""Reader for the MiniZinc data files of the JAIR 2022 B2B benchmark (Bofill et al.).

Participants and meetings keep their 1-based numbers as string ids ("1", "2", ...); slots
become 0-based. The dummy 0 in forbidden sets and ``meetingsxBusiness`` are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

from scheduler.meetings.errors import InstanceFormatError, InvalidInstanceError
from scheduler.meetings.instance import (
    DayPart,
    Meeting,
    MeetingInstance,
    Participant,
    numbered_tables,
)

DznValue = int | list[int] | list[list[int]] | list[frozenset[int]]

_DAY_PARTS = {1: DayPart.MORNING, 2: DayPart.AFTERNOON, 3: DayPart.EITHER}
_STATEMENT = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*(.*)$", re.DOTALL)
_SET = re.compile(r"\{([^}]*)\}")


def _ints(text: str) -> list[int]:
    return [int(tok) for tok in re.split(r"[\s,]+", text.strip()) if tok]


def _set(text: str) -> frozenset[int]:
    out: set[int] = set()
    for tok in re.split(r"\s*,\s*", text.strip()):
        if not tok:
            continue
        if ".." in tok:
            lo, hi = tok.split("..")
            out.update(range(int(lo), int(hi) + 1))
        else:
            out.add(int(tok))
    return frozenset(out)


def _value(expr: str) -> DznValue:
    expr = expr.strip()
    if expr.startswith("[|"):
        body = expr[2:].rstrip("]").rstrip().rstrip("|")
        return [_ints(row) for row in body.split("|") if row.strip()]
    if expr.startswith("["):
        body = expr[1:-1]
        if "{" in body:
            return [_set(s) for s in _SET.findall(body)]
        return _ints(body)
    return int(expr)


def parse_dzn_text(text: str) -> dict[str, DznValue]:
    text = re.sub(r"%[^\n]*", "", text)
    values: dict[str, DznValue] = {}
    for statement in text.split(";"):
        if not statement.strip():
            continue
        match = _STATEMENT.match(statement)
        if match is None:
            raise InstanceFormatError(f"cannot parse statement: {statement.strip()[:60]!r}")
        try:
            values[match.group(1)] = _value(match.group(2))
        except ValueError as exc:
            raise InstanceFormatError(f"bad value for {match.group(1)}: {exc}") from exc
    return values


def _int(values: dict[str, DznValue], key: str) -> int:
    value = values.get(key)
    if not isinstance(value, int):
        raise InstanceFormatError(f"missing or non-integer {key}")
    return value


def _list(values: dict[str, DznValue], key: str, length: int) -> list[object]:
    value = values.get(key, [])
    if not isinstance(value, list):
        raise InstanceFormatError(f"{key} must be an array")
    if value and len(value) != length:
        raise InstanceFormatError(f"{key} has {len(value)} entries, expected {length}")
    return list(value)


def instance_from_dzn_text(text: str, name: str = "", fairness: int | None = 2) -> MeetingInstance:
    values = parse_dzn_text(text)
    n_business = _int(values, "nBusiness")
    n_meetings = _int(values, "nMeetings")
    n_slots = _int(values, "nTotalSlots")
    n_morning = _int(values, "nMorningSlots")
    n_tables = _int(values, "nTables")
    requested = _list(values, "requested", n_meetings)
    forbidden = _list(values, "forbidden", n_business)
    fixed = _list(values, "fixed", n_meetings)
    precedences = _list(values, "precedences", n_meetings)

    participants = []
    for p in range(n_business):
        slots = forbidden[p] if forbidden else frozenset()
        assert isinstance(slots, frozenset)
        participants.append(
            Participant(id=str(p + 1), forbidden_slots=frozenset(s - 1 for s in slots if s != 0))
        )
    meetings = []
    for i, row in enumerate(requested):
        if not isinstance(row, list) or len(row) != 3 or row[2] not in _DAY_PARTS:
            raise InstanceFormatError(f"requested row {i + 1} must be [p1, p2, session 1..3]")
        fix = fixed[i] if fixed else 0
        assert isinstance(fix, int)
        meetings.append(
            Meeting(
                id=str(i + 1),
                participant_a=str(row[0]),
                participant_b=str(row[1]),
                day_part=_DAY_PARTS[row[2]],
                fixed_slot=fix - 1 if fix else None,
            )
        )
    pairs: list[tuple[str, str]] = []
    for later, earlier_set in enumerate(precedences):
        assert isinstance(earlier_set, frozenset)
        pairs.extend((str(e), str(later + 1)) for e in sorted(earlier_set) if e != 0)
    try:
        return MeetingInstance(
            participants=tuple(participants),
            meetings=tuple(meetings),
            n_slots=n_slots,
            n_morning_slots=n_morning,
            tables=numbered_tables(n_tables),
            precedences=tuple(pairs),
            fairness=fairness,
            name=name,
        )
    except InvalidInstanceError as exc:
        raise InstanceFormatError(f"invalid instance in {name or 'dzn data'}: {exc}") from exc


def read_dzn(path: str | Path, fairness: int | None = 2) -> MeetingInstance:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(f"cannot read {path}: {exc}") from exc
    name = path.name.removesuffix(".dzn").removesuffix(".original")
    return instance_from_dzn_text(text, name=name, fairness=fairness)
