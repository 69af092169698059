"""Participants imported from a spreadsheet (CSV or XLSX): all rows or none.

Organisers live in spreadsheets, so the columns are the registration fields in plain
words (README, "Importing participants"). Every row is checked before anything is
written, and every problem of every row is reported at once, in row order; tags the
event does not have are reported together, or created when the organiser asks. Tags are
accepted by slug or by label, so the participants export re-imports as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pycountry
from marshmallow import ValidationError
from sqlalchemy import select

from api.events.slots import event_bounds
from api.exceptions import InvalidInput
from api.extensions import db
from api.http.input_guard import BAD_TEXT, MESSAGE
from api.models import AvailabilityWindow, Event, Opportunity, Participant, Tag
from api.models.enums import OpportunityKind, TagKind
from api.registration.operations import register_participant
from api.registration.schemas.participants import RegistrationSchema
from api.registration.spreadsheets import Sheet, column_key, read_sheet

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
    "offers",
    "requests",
    "availability",
)
# Written by the participants export, read back without effect.
EXPORT_ONLY_COLUMNS = ("participant_id", "registered")
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + EXPORT_ONLY_COLUMNS
# Header names other tools write for our columns (compared as spreadsheets.column_key).
ALIASES = {
    "e_mail": "email",
    "mail": "email",
    "email_address": "email",
    "firstname": "first_name",
    "given_name": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "organization": "organisation",
    "company": "organisation",
    "organization_type": "organisation_type",
    "country_code": "country",
    "time_zone": "timezone",
    "id": "participant_id",
}
HEADER_NAMES = {**{c: c for c in KNOWN_COLUMNS}, **ALIASES}
LIST_SEPARATOR = ";"
# Where a registration field's error is shown: the spreadsheet column it came from.
_COLUMN_OF_FIELD = {
    "organisation.name": "organisation",
    "organisation.type": "organisation_type",
    "organisation.country": "country",
    "organisation.region": "region",
    "organisation.website": "website",
    "organisation.sectors": "sectors",
}
_WINDOW = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T]+(\d{1,2}:\d{2})\s*[-\u2013]\s*"
    r"(?:(\d{4}-\d{2}-\d{2})[ T]+)?(\d{1,2}:\d{2})$"
)
_TAG_COLUMNS = {"interests": TagKind.THEME, "sectors": TagKind.SECTOR}


@dataclass
class _Row:
    line: int
    data: dict[str, Any]
    tags: dict[str, list[str]] = field(default_factory=dict)  # column -> texts
    offers: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    created: list[tuple[Participant, str]]
    tags_created: list[Tag]
    sheet: Sheet


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", folded.lower()))[:80].strip("-")


def _country_code(value: str) -> str:
    """An ISO code as it is, or the code of a country's English name ("Belgium": BE)."""
    if len(value) <= 3:
        return value.upper()
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        return value


def _payload(row: dict[str, str]) -> dict[str, Any]:
    get = row.get
    payload: dict[str, Any] = {
        "first_name": get("first_name", ""),
        "last_name": get("last_name", ""),
        "email": get("email", ""),
        "consent": True,
        "organisation": {
            "name": get("organisation", ""),
            "type": column_key(get("organisation_type", "")),  # "Cluster organisation" too
            "country": _country_code(get("country", "")),
            "region": get("region", ""),
        },
        "languages": [code.lower() for code in split_list(get("languages", ""))],
    }
    if get("website"):
        payload["organisation"]["website"] = get("website")
    for key in ("role", "timezone", "group", "description"):
        if get(key):
            payload[key] = get(key)
    if get("attendance"):
        payload["attendance"] = column_key(get("attendance", ""))  # "On site", "on-site"
    return payload


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages keyed by the spreadsheet column they concern."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict) and not all(isinstance(k, int) for k in value):
                flat.update(_flatten(value, f"{name}."))
            else:
                column = _COLUMN_OF_FIELD.get(name, name.split(".")[0])
                items = value.values() if isinstance(value, dict) else value
                for item in items:
                    flat.setdefault(column, []).extend(item if isinstance(item, list) else [item])
    return flat


def _windows(event: Event, value: str, errors: dict[str, list[str]]) -> list[Any]:
    zone = ZoneInfo(event.timezone)
    start_bound, end_bound = event_bounds(event)
    windows = []
    for item in split_list(value):
        match = _WINDOW.match(item)
        if match is None:
            errors.setdefault("availability", []).append(
                f"{item!r} is not a window like '2027-03-10 09:00-12:30'."
            )
            continue
        day, start, end_day, end = match.groups()
        try:
            start_dt = datetime.fromisoformat(f"{day}T{int(start[:-3]):02d}{start[-3:]}")
            end_dt = datetime.fromisoformat(f"{end_day or day}T{int(end[:-3]):02d}{end[-3:]}")
        except ValueError:
            errors.setdefault("availability", []).append(f"{item!r} is not a real date and time.")
            continue
        start_dt, end_dt = start_dt.replace(tzinfo=zone), end_dt.replace(tzinfo=zone)
        if end_dt <= start_dt:
            errors.setdefault("availability", []).append(f"{item!r} ends before it starts.")
        elif start_dt < start_bound or end_dt > end_bound:
            errors.setdefault("availability", []).append(f"{item!r} is outside the event's days.")
        else:
            windows.append((start_dt, end_dt))
    return windows


class _TagIndex:
    """The event's tags by slug and by label (without case); unknown texts by line."""

    def __init__(self, event: Event) -> None:
        self.by_key: dict[str, Tag] = {}
        for tag in db.session.scalars(select(Tag).where(Tag.event_id == event.id)):
            self.by_key.setdefault(tag.slug, tag)
            self.by_key.setdefault(tag.label.strip().casefold(), tag)
        self.unknown: dict[str, tuple[str, list[int]]] = {}  # casefolded text -> (text, lines)
        self.kinds: dict[str, TagKind] = {}

    def find(self, text: str) -> Tag | None:
        key = text.strip().casefold()
        return (
            self.by_key.get(key) or self.by_key.get(text.strip()) or self.by_key.get(slugify(text))
        )

    def note(self, text: str, line: int, kind: TagKind) -> None:
        if self.find(text) is None:
            key = text.strip().casefold()
            self.unknown.setdefault(key, (text.strip(), []))[1].append(line)
            self.kinds.setdefault(key, kind)

    def report(self) -> list[dict[str, Any]]:
        return [{"tag": text, "lines": sorted(set(lines))} for text, lines in self.unknown.values()]

    def create_unknown(self, event: Event) -> list[Tag]:
        taken = set(db.session.scalars(select(Tag.slug).where(Tag.event_id == event.id)))
        created = []
        for key, (text, _lines) in self.unknown.items():
            base = slugify(text) or "tag"
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base[:75]}-{n}", n + 1
            taken.add(slug)
            tag = Tag(event_id=event.id, slug=slug, label=text[:120], kind=self.kinds[key])
            db.session.add(tag)
            created.append(tag)
            self.by_key[key] = tag
        db.session.flush()
        self.unknown.clear()
        return created


def _check_header(sheet: Sheet) -> None:
    missing = [column for column in REQUIRED_COLUMNS if column not in sheet.header]
    unknown = [column for column in sheet.header if column not in KNOWN_COLUMNS]
    problems = []
    if missing:
        problems.append(f"Missing column(s): {', '.join(missing)}.")
    if unknown:
        problems.append(
            f"Unknown column(s): {', '.join(unknown)}. Known columns: {', '.join(KNOWN_COLUMNS)}."
        )
    if problems:
        if sheet.delimiter:
            problems.append(
                f"Read as {sheet.encoding} text with {sheet.delimiter!r} between columns."
            )
        raise InvalidInput({"file": problems}, "The file's columns are wrong; nothing was imported")


def check_rows(event: Event, sheet: Sheet, tags: _TagIndex) -> list[_Row]:
    """Every row validated without writing; raises InvalidInput listing every problem."""
    _check_header(sheet)
    if not sheet.rows:
        raise InvalidInput({"file": ["The file has no participants."]}, "Nothing to import")
    schema = RegistrationSchema()
    registered = set(
        db.session.scalars(select(Participant.email).where(Participant.event_id == event.id))
    )
    seen: dict[str, int] = {}
    checked: list[_Row] = []
    report: list[dict[str, Any]] = []
    for line, values in sheet.rows:
        errors: dict[str, list[str]] = {}
        if "\x00extra" in values:
            errors["row"] = ["More values than columns."]
        for column, value in values.items():
            # Same rule as JSON input (api/http/input_guard.py): such text breaks exports.
            if column != "\x00extra" and isinstance(value, str) and BAD_TEXT.search(value):
                errors.setdefault(column, []).append(MESSAGE)
        try:
            data = schema.load(_payload(values))
        except ValidationError as exc:
            errors.update(_flatten(exc.normalized_messages()))
            data = {}
        email = values.get("email", "").lower()
        if email and email in seen:
            errors.setdefault("email", []).append(f"Same email as line {seen[email]}.")
        elif email in registered:
            errors.setdefault("email", []).append("Already registered for this event.")
        elif email:
            seen[email] = line
        row = _Row(line, data)
        for column, kind in _TAG_COLUMNS.items():
            row.tags[column] = split_list(values.get(column, ""))
            for text in row.tags[column]:
                tags.note(text, line, kind)
        for column in ("offers", "requests"):
            titles = split_list(values.get(column, ""))
            too_long = [t for t in titles if len(t) > 200]
            if too_long:
                errors.setdefault(column, []).append("Each title has at most 200 characters.")
            setattr(row, column, titles)
        row.windows = _windows(event, values.get("availability", ""), errors)
        if errors:
            report.append({"line": line, "errors": errors})
        checked.append(row)
    if report or tags.unknown:
        found: dict[str, Any] = {}
        if report:
            found["rows"] = report
        if tags.unknown:
            found["unknown_tags"] = tags.report()
        raise InvalidInput(found, _summary(report, tags))
    return checked


def _summary(report: list[dict[str, Any]], tags: _TagIndex) -> str:
    parts = []
    if report:
        parts.append(f"{len(report)} row(s) have errors")
    if tags.unknown:
        parts.append(
            f"{len(tags.unknown)} tag(s) are unknown (create them, or import with create_tags)"
        )
    return "; ".join(parts) + "; nothing was imported"


def import_participants(
    event: Event, raw: bytes, filename: str = "", *, create_tags: bool = False
) -> ImportResult:
    """Register every row in the current transaction (flushed; the caller commits)."""
    sheet = read_sheet(raw, HEADER_NAMES, filename)
    tags = _TagIndex(event)
    try:
        rows = check_rows(event, sheet, tags)
        created_tags: list[Tag] = []
    except InvalidInput as exc:
        if not (create_tags and tags.unknown and set(exc.errors) == {"unknown_tags"}):
            raise
        created_tags = tags.create_unknown(event)
        rows = check_rows(event, sheet, tags)
    created = [_register(event, row, tags) for row in rows]
    db.session.flush()
    return ImportResult(created, created_tags, sheet)


def _register(event: Event, row: _Row, tags: _TagIndex) -> tuple[Participant, str]:
    def slugs(column: str) -> list[str]:
        found = (tags.find(text) for text in row.tags[column])
        return list(dict.fromkeys(tag.slug for tag in found if tag is not None))

    data = dict(row.data)
    data["interests"] = slugs("interests")
    data["organisation"] = {**data["organisation"], "sectors": slugs("sectors")}
    try:
        participant, token = register_participant(event, data, by_organiser=True)
    except InvalidInput as exc:
        found: dict[str, object] = {"rows": [{"line": row.line, "errors": exc.errors}]}
        raise InvalidInput(
            found,
            "A row could not be registered; nothing was imported",
        ) from exc
    # Added without a flush or a collection load per row: one flush after all rows.
    for kind, titles in (
        (OpportunityKind.OFFER, row.offers),
        (OpportunityKind.REQUEST, row.requests),
    ):
        db.session.add_all(
            Opportunity(event_id=event.id, participant_id=participant.id, kind=kind, title=title)
            for title in titles
        )
    db.session.add_all(
        AvailabilityWindow(participant_id=participant.id, start_dt=start, end_dt=end)
        for start, end in row.windows
    )
    return participant, token
