"""CSV import of participants: all rows or none, errors reported by line.

Organisers live in spreadsheets, so the columns are the registration fields in plain
words; list fields (interests, sectors, languages) are separated by ``;``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from marshmallow import ValidationError

from api.exceptions import InvalidInput
from api.extensions import db
from api.http.input_guard import BAD_TEXT, MESSAGE
from api.models import Event, Participant
from api.registration.schemas.participants import RegistrationSchema

REQUIRED_COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "organisation",
    "organisation_type",
    "country",
)
OPTIONAL_COLUMNS = (
    "role",
    "attendance",
    "timezone",
    "languages",
    "group",
    "description",
    "interests",
    "region",
    "sectors",
    "website",
)
MAX_ROWS = 20_000


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _row_payload(row: dict[str, str]) -> dict[str, Any]:
    get = lambda key: (row.get(key) or "").strip()  # noqa: E731
    payload: dict[str, Any] = {
        "first_name": get("first_name"),
        "last_name": get("last_name"),
        "email": get("email"),
        "consent": True,
        "organisation": {
            "name": get("organisation"),
            "type": get("organisation_type"),
            "country": get("country").upper(),
            "region": get("region"),
            "sectors": _split(get("sectors")),
        },
        "interests": _split(get("interests")),
        "languages": _split(get("languages")),
    }
    if get("website"):
        payload["organisation"]["website"] = get("website")
    for key in ("role", "attendance", "timezone", "group", "description"):
        if get(key):
            payload[key] = get(key)
    return payload


def parse_participants_csv(text: str) -> list[dict[str, Any]]:
    """Validated registration data per row; raises InvalidInput naming every bad line."""
    # split("\n"), not splitlines(): that one would treat \v and \f as line breaks.
    for number, content in enumerate(text.split("\n"), start=1):
        if BAD_TEXT.search(content):
            # Same rule as JSON input (api/http/input_guard.py): such text breaks exports.
            raise InvalidInput({"file": [f"Line {number}: {MESSAGE}"]}, "Malformed CSV")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InvalidInput({"file": [f"Missing column(s): {', '.join(missing)}."]}, "Malformed CSV")
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise InvalidInput({"file": [f"Unknown column(s): {', '.join(unknown)}."]}, "Malformed CSV")
    schema = RegistrationSchema()
    rows: list[dict[str, Any]] = []
    errors: dict[str, Any] = {}
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                raise InvalidInput({"file": [f"At most {MAX_ROWS} rows per import."]})
            if None in row:
                errors[f"line {line}"] = {"row": ["More values than columns."]}
                continue
            try:
                data = schema.load(_row_payload(row))
            except ValidationError as exc:
                errors[f"line {line}"] = exc.normalized_messages()
                continue
            email = data["email"].lower()
            if email in seen:
                errors[f"line {line}"] = {"email": [f"Same email as line {seen[email]}."]}
                continue
            seen[email] = line
            data["_line"] = line
            rows.append(data)
    except csv.Error as exc:
        raise InvalidInput({"file": [f"Not a readable CSV file: {exc}."]}, "Malformed CSV") from exc
    if errors:
        raise InvalidInput(errors, "The file has errors; nothing was imported")
    if not rows:
        raise InvalidInput({"file": ["The file has no participants."]}, "Malformed CSV")
    return rows


def import_participants(event: Event, text: str) -> list[tuple[Participant, str]]:
    """Register every row in the current transaction; the caller commits once."""
    from api.registration.operations import register_participant

    rows = parse_participants_csv(text)
    created: list[tuple[Participant, str]] = []
    errors: dict[str, Any] = {}
    for data in rows:
        line = data.pop("_line")
        try:
            created.append(register_participant(event, data, by_organiser=True))
        except InvalidInput as exc:
            errors[f"line {line}"] = exc.errors
    if errors:
        db.session.rollback()
        raise InvalidInput(errors, "The file has errors; nothing was imported")
    return created
