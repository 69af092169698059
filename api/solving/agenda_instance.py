"""From an event's rows to the agenda scheduler's instance, and back to session placements.

The time grid: slots of ``programme_settings.slot_minutes`` (default 15) from its
``day_start`` to ``day_end`` (default 09:00-18:00) on every day of the event, in the
event's time zone, with its ``breaks`` (default lunch 13:00-14:00) blocked. A session
lasts its length rounded up to whole slots. Speakers, moderators and panellists who are
participants are the solver's people (``p<participant id>``); the slots inside both their
working hours (in their own zone) and their availability windows are the slots they can
attend. Attendees' working hours are not constraints: the result lists the sign-ups that
fall outside them. The expected audience of a session is its ``attend`` sign-ups; two
sessions clash for everyone signed up (attend or interest) to both. Pinned sessions with
a room and a start on the grid stay there, and the published agenda, if any, is the
previous placement for a minimal-change re-solve.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from api.events.working_hours import within_working_hours
from api.exceptions import InvalidInput
from api.extensions import db
from api.models import (
    Event,
    Participant,
    Room,
    ScheduleVersion,
    Session,
    SessionPlacement,
    SignUp,
)
from api.models.enums import ScheduleKind
from api.schedules.operations import published_version
from scheduler import agenda as ag

SLOT_MINUTES = 15
DAY_START = time(9, 0)
DAY_END = time(18, 0)
LUNCH = (time(13, 0), time(14, 0))
# Slots a speaker keeps free between two of their sessions on the same day.
MIN_PAUSE_SLOTS = 1

_ROLE_FIELDS = {"speaker": "speakers", "moderator": "moderators", "panellist": "panellists"}


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


@dataclass(frozen=True)
class AgendaGrid:
    """The event's slot grid and the instants of its slots."""

    event_days: tuple[date, ...]
    zone: ZoneInfo
    slot_minutes: int = SLOT_MINUTES
    day_start: time = DAY_START
    day_end: time = DAY_END
    breaks: tuple[tuple[time, time], ...] = (LUNCH,)

    @property
    def slots_per_day(self) -> int:
        return (_minutes(self.day_end) - _minutes(self.day_start)) // self.slot_minutes

    def time_grid(self) -> ag.TimeGrid:
        blocked: set[int] = set()
        for pause_start, pause_end in self.breaks:
            first = (_minutes(pause_start) - _minutes(self.day_start)) // self.slot_minutes
            last = -(-(_minutes(pause_end) - _minutes(self.day_start)) // self.slot_minutes)
            for day in range(len(self.event_days)):
                base = day * self.slots_per_day
                blocked.update(
                    base + k for k in range(max(first, 0), min(last, self.slots_per_day))
                )
        return ag.TimeGrid(
            days=tuple(day.isoformat() for day in self.event_days),
            slots_per_day=self.slots_per_day,
            slot_minutes=self.slot_minutes,
            day_start=f"{self.day_start:%H:%M}",
            blocked=frozenset(blocked),
        )

    def slot_start(self, slot: int) -> datetime:
        day = self.event_days[slot // self.slots_per_day]
        start = datetime.combine(day, self.day_start, tzinfo=self.zone)
        return start + timedelta(minutes=(slot % self.slots_per_day) * self.slot_minutes)

    def slot_of(self, instant: datetime) -> int | None:
        """The slot starting exactly at ``instant``, or None if none does."""
        local = instant.astimezone(self.zone)
        try:
            day = self.event_days.index(local.date())
        except ValueError:
            return None
        offset = _minutes(local.time()) - _minutes(self.day_start)
        if local.second or local.microsecond or offset % self.slot_minutes:
            return None
        index = offset // self.slot_minutes
        if not 0 <= index < self.slots_per_day:
            return None
        return day * self.slots_per_day + index

    def slots_within(self, start: datetime, end: datetime) -> set[int]:
        step = timedelta(minutes=self.slot_minutes)
        return {
            slot
            for slot in range(len(self.event_days) * self.slots_per_day)
            if start <= self.slot_start(slot) and self.slot_start(slot) + step <= end
        }


def event_grid(event: Event) -> AgendaGrid:
    n_days = (event.end_date - event.start_date).days + 1
    days = tuple(event.start_date + timedelta(days=k) for k in range(max(1, n_days)))
    settings = event.programme_settings or {}
    breaks = settings.get("breaks")
    return AgendaGrid(
        event_days=days,
        zone=ZoneInfo(event.timezone),
        slot_minutes=int(settings.get("slot_minutes") or SLOT_MINUTES),
        day_start=time.fromisoformat(settings.get("day_start") or "09:00"),
        day_end=time.fromisoformat(settings.get("day_end") or "18:00"),
        breaks=(
            (LUNCH,)
            if breaks is None
            else tuple(
                (time.fromisoformat(pause["start"]), time.fromisoformat(pause["end"]))
                for pause in breaks
            )
        ),
    )


@dataclass(frozen=True)
class EventAgendaInstance:
    instance: ag.AgendaInstance
    grid: AgendaGrid
    sessions: dict[str, Session]


def person_id(participant_id: int) -> str:
    return f"p{participant_id}"


def build_agenda_instance(event: Event) -> EventAgendaInstance:
    """The solver's instance for the event; raises InvalidInput naming what is unusable."""
    grid = event_grid(event)
    rooms = list(
        db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.id))
    )
    if not rooms:
        message = "The event has no rooms to place sessions in."
        raise InvalidInput({"rooms": [message]}, message)
    sessions = list(
        db.session.scalars(select(Session).where(Session.event_id == event.id).order_by(Session.id))
    )
    audience = _audiences(event)
    problems: dict[str, list[str]] = {}
    solver_sessions = []
    people: set[int] = set()
    for session in sessions:
        length = math.ceil(session.length_min / grid.slot_minutes)
        if length > grid.slots_per_day:
            problems[f"sessions[{session.id}]"] = [
                f"{session.length_min} minutes do not fit in one day of the agenda grid."
            ]
            continue
        roles: dict[str, list[str]] = defaultdict(list)
        for speaker in session.speakers:
            if speaker.participant_id is not None:
                people.add(speaker.participant_id)
                pid = person_id(speaker.participant_id)
                field = _ROLE_FIELDS.get(speaker.role, "speakers")
                if pid not in roles[field]:
                    roles[field].append(pid)
        pin = None
        if session.is_pinned and session.room_id is not None and session.start_dt is not None:
            slot = grid.slot_of(session.start_dt)
            if slot is None:
                problems[f"sessions[{session.id}].start_dt"] = [
                    "A pinned session must start on the agenda grid "
                    f"({grid.slot_minutes}-minute slots from {grid.day_start:%H:%M} to "
                    f"{grid.day_end:%H:%M} on the event's days)."
                ]
                continue
            pin = ag.Pin(room=str(session.room_id), start=slot)
        solver_sessions.append(
            ag.Session(
                id=str(session.id),
                title=session.title,
                kind=ag.SessionKind(session.kind),
                length=length,
                theme=session.theme or None,
                required_features=frozenset(session.required_features or ()),
                speakers=tuple(roles["speakers"]),
                moderators=tuple(roles["moderators"]),
                panellists=tuple(roles["panellists"]),
                audience=audience.get(session.id, 0),
                pinned=pin,
            )
        )
    if problems:
        raise InvalidInput(problems, "Some sessions cannot be placed on the agenda grid")
    kept = {s.id for s in solver_sessions}
    instance = ag.AgendaInstance(
        grid=grid.time_grid(),
        rooms=tuple(
            ag.Room(
                id=str(room.id),
                name=room.name,
                capacity=room.capacity,
                features=frozenset(room.features or ()),
            )
            for room in rooms
        ),
        sessions=tuple(solver_sessions),
        availability=_availability(event, grid, people),
        co_attendance=tuple(c for c in _co_attendance(event) if {c.first, c.second} <= kept),
        min_pause=MIN_PAUSE_SLOTS,
        previous=_previous(event, grid, kept, {str(room.id) for room in rooms}),
    )
    return EventAgendaInstance(instance, grid, {str(s.id): s for s in sessions})


def _audiences(event: Event) -> dict[int, int]:
    rows = db.session.execute(
        select(SignUp.session_id, func.count())
        .join(Session, Session.id == SignUp.session_id)
        .where(Session.event_id == event.id, SignUp.kind == "attend")
        .group_by(SignUp.session_id)
    )
    return {session_id: count for session_id, count in rows}


def _co_attendance(event: Event) -> list[ag.CoAttendance]:
    """People signed up (attend or interest) to both sessions, per pair, in one query."""
    first, second = aliased(SignUp), aliased(SignUp)
    event_sessions = select(Session.id).where(Session.event_id == event.id)
    rows = db.session.execute(
        select(first.session_id, second.session_id, func.count())
        .join(second, second.participant_id == first.participant_id)
        .where(
            first.session_id < second.session_id,
            first.session_id.in_(event_sessions),
            second.session_id.in_(event_sessions),
        )
        .group_by(first.session_id, second.session_id)
        .order_by(first.session_id, second.session_id)
    )
    return [ag.CoAttendance(str(a), str(b), count) for a, b, count in rows]


def _availability(event: Event, grid: AgendaGrid, people: set[int]) -> tuple[ag.Availability, ...]:
    if not people:
        return ()
    entries = []
    step = timedelta(minutes=grid.slot_minutes)
    n_slots = len(grid.event_days) * grid.slots_per_day
    for participant in db.session.scalars(
        select(Participant).where(Participant.id.in_(people)).order_by(Participant.id)
    ):
        slots = {
            slot
            for slot in range(n_slots)
            if within_working_hours(
                participant, event.timezone, grid.slot_start(slot), grid.slot_start(slot) + step
            )
        }
        if participant.availability:
            windows: set[int] = set()
            for window in participant.availability:
                windows |= grid.slots_within(window.start_dt, window.end_dt)
            slots &= windows
        if len(slots) < n_slots:
            entries.append(ag.Availability(person_id(participant.id), frozenset(slots)))
    return tuple(entries)


def _previous(
    event: Event, grid: AgendaGrid, sessions: set[str], rooms: set[str]
) -> tuple[ag.Placement, ...] | None:
    version = published_version(event, ScheduleKind.AGENDA)
    if version is None:
        return None
    previous = []
    for placement in db.session.scalars(
        select(SessionPlacement).where(SessionPlacement.version_id == version.id)
    ):
        slot = grid.slot_of(placement.start_dt)
        session, room = str(placement.session_id), str(placement.room_id)
        if slot is not None and session in sessions and room in rooms:
            previous.append(ag.Placement(session=session, room=room, start=slot))
    return tuple(previous)


MAX_CONFLICTS_LISTED = 100


def _outside_working_hours(
    event: Event, times: dict[int, tuple[datetime, datetime]]
) -> list[dict[str, int]]:
    """Attend sign-ups whose session lies outside the participant's working hours."""
    rows = db.session.execute(
        select(SignUp.session_id, Participant)
        .join(Participant, Participant.id == SignUp.participant_id)
        .where(SignUp.session_id.in_(times), SignUp.kind == "attend")
        .order_by(SignUp.session_id, Participant.id)
    )
    return [
        {"session_id": session_id, "participant_id": participant.id}
        for session_id, participant in rows
        if not within_working_hours(participant, event.timezone, *times[session_id])
    ]


def store_agenda_result(
    event: Event, version: ScheduleVersion, built: EventAgendaInstance, result: ag.AgendaResult
) -> dict[str, Any]:
    """Stage the placements of a draft version; returns the version summary."""
    times: dict[int, tuple[datetime, datetime]] = {}
    for placement in result.placements:
        session = built.sessions[placement.session]
        start = built.grid.slot_start(placement.start)
        times[session.id] = (start, start + timedelta(minutes=session.length_min))
        db.session.add(
            SessionPlacement(
                version_id=version.id,
                session_id=session.id,
                room_id=int(placement.room),
                start_dt=start,
                end_dt=start + timedelta(minutes=session.length_min),
            )
        )
    terms = asdict(result.terms) if result.terms is not None else {}
    diff: dict[str, Any] | None = None
    if result.diff is not None:
        diff = {
            "new": sorted(int(s) for s in result.diff.new),
            "moved": sorted(int(m.session) for m in result.diff.moved),
            "cancelled": sorted(int(s) for s in result.diff.cancelled),
            "unchanged": result.diff.unchanged,
        }
    summary: dict[str, Any] = {
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "solve_seconds": round(result.seconds, 3),
        "sessions": len(built.instance.sessions),
        "placed": len(result.placements),
        "complete": len(result.placements) == len(built.instance.sessions),
        "attendee_clashes": terms.get("attendee_clashes", 0),
        "theme_parallel": terms.get("theme_parallel", 0),
        "theme_room_changes": terms.get("theme_room_changes", 0),
        "overflow_total": terms.get("overflow_total", 0),
        "overflow_worst": terms.get("overflow_max", 0),
        "moves": terms.get("moves", 0),
        "diff": diff,
    }
    conflicts = _outside_working_hours(event, times)
    summary["outside_working_hours_count"] = len(conflicts)
    summary["outside_working_hours"] = conflicts[:MAX_CONFLICTS_LISTED]
    version.summary = summary
    if diff is not None:
        version.diff = {key: diff[key] for key in ("new", "moved", "cancelled")}
    return summary
