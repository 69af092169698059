"""The event programme: meeting tables, rooms, sessions and sign-ups.

Functions take validated schema data, check the rules a schema cannot see (uniqueness
within the event, references to the same event, times inside the event's days) and
raise ``api.exceptions`` errors; they flush but never commit, so the route decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from api.exceptions import Conflict, InvalidInput, NotFound
from api.extensions import db
from api.models import (
    Event,
    MeetingTable,
    Participant,
    Room,
    Session,
    SessionSpeaker,
    SignUp,
)


def get_signup(session: Session, signup_id: int) -> SignUp:
    signup = db.session.get(SignUp, signup_id)
    if signup is None or signup.session_id != session.id:
        raise NotFound("Sign-up not found")
    return signup


def _participant_in_event(event: Event, participant_id: int | None) -> bool:
    if participant_id is None:
        return True
    participant = db.session.get(Participant, participant_id)
    return participant is not None and participant.event_id == event.id


def _apply(obj: object, data: dict[str, Any], columns: Iterable[str]) -> None:
    for column in columns:
        if column in data:
            setattr(obj, column, data[column])


# Meeting tables -----------------------------------------------------------------------


def save_table(
    event: Event, data: dict[str, Any], table: MeetingTable | None = None
) -> MeetingTable:
    name = data.get("name", table.name if table else None)
    clash = db.session.scalar(
        select(MeetingTable.id).where(
            MeetingTable.event_id == event.id,
            MeetingTable.name == name,
            MeetingTable.id != (table.id if table else -1),
        )
    )
    if clash is not None:
        raise Conflict(f"The event already has a table named {name!r}")
    if not _participant_in_event(event, data.get("reserved_for_id")):
        raise InvalidInput({"reserved_for_id": ["No such participant in this event."]})
    if data.get("reserved_for_id") is not None:
        booth = db.session.scalar(
            select(MeetingTable.name).where(
                MeetingTable.reserved_for_id == data["reserved_for_id"],
                MeetingTable.id != (table.id if table else -1),
            )
        )
        if booth is not None:
            raise InvalidInput(
                {"reserved_for_id": [f"This participant already has a booth ({booth})."]}
            )
    if table is None:
        table = MeetingTable(event_id=event.id)
        db.session.add(table)
    _apply(table, data, ("name", "reserved_for_id"))
    db.session.flush()
    return table


def create_tables(event: Event, count: int, prefix: str, first: int) -> list[MeetingTable]:
    """Tables ``{prefix}{first}`` .. ``{prefix}{first + count - 1}``, all or none."""
    names = [f"{prefix}{n}" for n in range(first, first + count)]
    taken = db.session.scalars(
        select(MeetingTable.name).where(
            MeetingTable.event_id == event.id, MeetingTable.name.in_(names)
        )
    ).all()
    if taken:
        shown = ", ".join(sorted(taken)[:10])
        raise Conflict(f"The event already has tables named {shown}")
    tables = [MeetingTable(event_id=event.id, name=name) for name in names]
    db.session.add_all(tables)
    db.session.flush()
    return tables


# Rooms --------------------------------------------------------------------------------


def save_room(event: Event, data: dict[str, Any], room: Room | None = None) -> Room:
    name = data.get("name", room.name if room else None)
    clash = db.session.scalar(
        select(Room.id).where(
            Room.event_id == event.id, Room.name == name, Room.id != (room.id if room else -1)
        )
    )
    if clash is not None:
        raise Conflict(f"The event already has a room named {name!r}")
    if room is None:
        room = Room(event_id=event.id)
        db.session.add(room)
    _apply(room, data, ("name", "capacity"))
    if "features" in data:
        room.features = _unique(data["features"])
    db.session.flush()
    return room


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


# Sessions -----------------------------------------------------------------------------

_SESSION_COLUMNS = (
    "title",
    "kind",
    "description",
    "theme",
    "length_min",
    "room_id",
    "start_dt",
    "is_pinned",
)


def save_session(event: Event, data: dict[str, Any], session: Session | None = None) -> Session:
    """Create a session or change one; ``data`` may be partial when changing.

    The rules are checked on the merged result, so a PATCH that only moves the start
    is still checked against the session's length and room.
    """
    merged = _session_values(session) if session else {}
    merged.update(data)
    merged["required_features"] = _unique(merged.get("required_features") or [])
    _check_session(event, merged)
    exclude_id = session.id if session else None
    _check_room_free(event, merged, exclude_id)
    _check_speakers_free(event, merged, _speaker_ids(data, session), exclude_id)
    is_new = session is None
    if session is None:
        session = Session(event_id=event.id)
        db.session.add(session)
    _apply(session, merged, _SESSION_COLUMNS)
    session.required_features = merged["required_features"]
    if is_new or "speakers" in data:
        session.speakers = [_speaker(event, s) for s in merged.get("speakers") or []]
    db.session.flush()
    return session


def _session_values(session: Session) -> dict[str, Any]:
    values = {column: getattr(session, column) for column in _SESSION_COLUMNS}
    values["required_features"] = list(session.required_features or [])
    return values


def _speaker(event: Event, data: dict[str, Any]) -> SessionSpeaker:
    name = data.get("name")
    if not name and data.get("participant_id") is not None:
        participant = db.session.get(Participant, data["participant_id"])
        name = participant.full_name if participant else ""
    return SessionSpeaker(
        participant_id=data.get("participant_id"), name=name, role=data.get("role", "speaker")
    )


def _check_session(event: Event, values: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    room = None
    if values.get("room_id") is not None:
        room = db.session.get(Room, values["room_id"])
        if room is None or room.event_id != event.id:
            errors["room_id"] = ["No such room in this event."]
            room = None
    if room is not None:
        missing = [f for f in values["required_features"] if f not in (room.features or [])]
        if missing:
            errors.setdefault("room_id", []).append(
                f"The room lacks required features: {', '.join(missing)}."
            )
    start = values.get("start_dt")
    if start is not None:
        problem = _start_problem(event, start, values["length_min"])
        if problem:
            errors["start_dt"] = [problem]
    if values.get("is_pinned") and start is None:
        errors["is_pinned"] = ["Only a session with a start time can be pinned."]
    speakers_errors: dict[str, Any] = {}
    for i, speaker in enumerate(values.get("speakers") or []):
        if not _participant_in_event(event, speaker.get("participant_id")):
            speakers_errors[str(i)] = {"participant_id": ["No such participant in this event."]}
    if speakers_errors:
        errors["speakers"] = speakers_errors
    if errors:
        raise InvalidInput(errors)


def _check_room_free(event: Event, values: dict[str, Any], exclude_id: int | None) -> None:
    """A room holds one session at a time; the agenda solver keeps to the same rule."""
    start, room_id = values.get("start_dt"), values.get("room_id")
    if start is None or room_id is None:
        return
    end = start + timedelta(minutes=values["length_min"])
    for other in _overlapping(event, start, end, exclude_id):
        if other.room_id == room_id:
            raise Conflict(f"The room is taken by session {other.id} ({other.title!r}) then")


def _speaker_ids(data: dict[str, Any], session: Session | None) -> set[int]:
    """The participants who speak in the session once ``data`` is applied."""
    if "speakers" in data:
        return {s["participant_id"] for s in data["speakers"] if s.get("participant_id")}
    if session is None:
        return set()
    return {s.participant_id for s in session.speakers if s.participant_id is not None}


def _overlapping(
    event: Event, start: datetime, end: datetime, exclude_id: int | None
) -> list[Session]:
    """Sessions of the event placed so that they overlap ``start``..``end``."""
    query = select(Session).where(
        Session.event_id == event.id,
        Session.id != (exclude_id if exclude_id is not None else -1),
        # Sessions last at most a day, so only those starting within a day can overlap.
        Session.start_dt > start - timedelta(days=1),
        Session.start_dt < end,
    )
    return [s for s in db.session.scalars(query) if (session_end(s) or start) > start]


def _check_speakers_free(
    event: Event, values: dict[str, Any], speaker_ids: set[int], session_id: int | None
) -> None:
    """A speaker or moderator cannot be on two stages at once."""
    start = values.get("start_dt")
    if start is None or not speaker_ids:
        return
    end = start + timedelta(minutes=values["length_min"])
    for other in _overlapping(event, start, end, session_id):
        busy = speaker_ids & {s.participant_id for s in other.speakers}
        if busy:
            raise Conflict(
                f"Participant {min(busy)} already speaks in session {other.id} "
                f"({other.title!r}) then"
            )


def _start_problem(event: Event, start: datetime, length_min: int) -> str | None:
    zone = ZoneInfo(event.timezone)
    local_start = start.astimezone(zone)
    day = local_start.date()
    if not event.start_date <= day <= event.end_date:
        return (
            f"The start ({local_start:%Y-%m-%d %H:%M} {event.timezone}) is outside the "
            f"event's days ({event.start_date} to {event.end_date})."
        )
    end = start + timedelta(minutes=length_min)
    if end > _day_bounds(day, zone)[1]:
        return "The session must end on the day it starts."
    return None


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    begin = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return begin, end


def day_range(event: Event, day: date) -> tuple[datetime, datetime]:
    """The instants of one local day of the event, for filtering by start."""
    return _day_bounds(day, ZoneInfo(event.timezone))


def session_end(session: Session) -> datetime | None:
    if session.start_dt is None:
        return None
    return session.start_dt + timedelta(minutes=session.length_min)


def signup_counts(session_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Attend and interest sign-ups per session, in one query."""
    counts: dict[int, dict[str, int]] = {sid: {"attend": 0, "interest": 0} for sid in session_ids}
    if not session_ids:
        return counts
    rows = db.session.execute(
        select(SignUp.session_id, SignUp.kind, func.count())
        .where(SignUp.session_id.in_(session_ids))
        .group_by(SignUp.session_id, SignUp.kind)
    )
    for session_id, kind, count in rows:
        counts[session_id][kind] = count
    return counts


# Sign-ups -----------------------------------------------------------------------------


def sign_up(session: Session, participant: Participant, kind: str) -> SignUp:
    """Sign a participant up; once a room is set, attendance is capped by its capacity."""
    existing = db.session.scalar(
        select(SignUp.id).where(
            SignUp.session_id == session.id, SignUp.participant_id == participant.id
        )
    )
    if existing is not None:
        raise Conflict("The participant is already signed up for this session")
    if kind == "attend" and session.room is not None:
        attendees = signup_counts([session.id])[session.id]["attend"]
        if attendees >= session.room.capacity:
            raise Conflict(
                f"The session is full ({session.room.capacity} seats); mark interest instead"
            )
    signup = SignUp(session_id=session.id, participant_id=participant.id, kind=kind)
    db.session.add(signup)
    db.session.flush()
    return signup
