"""What an organiser checks in a published event, as code: used by the scenarios and tests.

Each check returns plain-language problems; an empty list means the event is sound:
nobody is double-booked across sessions and meetings, every meeting lies inside both
sides' working hours, online meetings have a link and no table, exhibitors meet at their
own stand, the matchmaking rules hold, sessions stay inside the programme's day, and the
counts add up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from api.events.online import is_online_meeting
from api.events.working_hours import within_working_hours
from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    MeetingTable,
    Participant,
    Session,
    SessionSpeaker,
    SignUp,
)
from api.models.enums import MeetingStatus, ScheduleKind
from api.requests.operations import pair_rule_problem
from api.schedules.operations import published_version

Interval = tuple[datetime, datetime, str]


@dataclass
class EventCheck:
    counts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def check_event(event: Event) -> EventCheck:
    check = EventCheck()
    busy: dict[int, list[Interval]] = defaultdict(list)
    _check_sessions(event, check, busy)
    _check_meetings(event, check, busy)
    for participant_id, intervals in busy.items():
        intervals.sort()
        for i, (_start, end, what) in enumerate(intervals):
            for other_start, _end, other in intervals[i + 1 :]:
                if other_start >= end:
                    break
                # Attending a session during another one is the attendee's own choice
                # (the agenda minimises it); a meeting during anything, or speaking at
                # two sessions at once, is a double booking.
                both_sessions = what.startswith("session") and other.startswith("session")
                if not both_sessions or ("speaking" in what and "speaking" in other):
                    check.problems.append(f"participant {participant_id}: {what} overlaps {other}")
    return check


def _check_sessions(event: Event, check: EventCheck, busy: dict[int, list[Interval]]) -> None:
    sessions = list(db.session.scalars(select(Session).where(Session.event_id == event.id)))
    placed = [s for s in sessions if s.start_dt is not None]
    check.counts["sessions"] = len(sessions)
    check.counts["sessions_placed"] = len(placed)
    settings = event.programme_settings or {}
    day_start = time.fromisoformat(settings.get("day_start") or "09:00")
    day_end = time.fromisoformat(settings.get("day_end") or "18:00")
    zone = ZoneInfo(event.timezone)
    times: dict[int, tuple[datetime, datetime]] = {}
    for session in placed:
        assert session.start_dt is not None
        start = session.start_dt
        end = start + timedelta(minutes=session.length_min)
        times[session.id] = (start, end)
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        if (
            local_start.time() < day_start
            or local_end.time() > day_end
            or (local_end.date() != local_start.date())
        ):
            check.problems.append(
                f"session {session.id} ({local_start:%H:%M}-{local_end:%H:%M}) is outside "
                f"the programme's day {day_start:%H:%M}-{day_end:%H:%M}"
            )
    speakers = db.session.execute(
        select(SessionSpeaker.participant_id, SessionSpeaker.session_id).where(
            SessionSpeaker.session_id.in_(times), SessionSpeaker.participant_id.is_not(None)
        )
    )
    attending = db.session.execute(
        select(SignUp.participant_id, SignUp.session_id).where(
            SignUp.session_id.in_(times), SignUp.kind == "attend"
        )
    )
    people = {
        p.id: p
        for p in db.session.scalars(select(Participant).where(Participant.event_id == event.id))
    }
    check.counts["participants"] = len(people)
    check.counts["online_participants"] = sum(1 for p in people.values() if p.is_online)
    outside = 0
    for participant_id, session_id in speakers:
        assert participant_id is not None
        start, end = times[session_id]
        busy[participant_id].append((start, end, f"session {session_id} (speaking)"))
        if not within_working_hours(people[participant_id], event.timezone, start, end):
            check.problems.append(
                f"speaker {participant_id} speaks outside their working hours (session "
                f"{session_id})"
            )
    for participant_id, session_id in attending:
        start, end = times[session_id]
        if not within_working_hours(people[participant_id], event.timezone, start, end):
            outside += 1
        busy[participant_id].append((start, end, f"session {session_id} (attending)"))
    check.counts["attendances_outside_working_hours"] = outside


def _check_meetings(event: Event, check: EventCheck, busy: dict[int, list[Interval]]) -> None:
    meetings = {
        m.id: m
        for m in db.session.scalars(
            select(Meeting).where(
                Meeting.event_id == event.id, Meeting.status != MeetingStatus.CANCELLED
            )
        )
    }
    check.counts["meetings"] = len(meetings)
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is None:
        check.counts["meetings_scheduled"] = 0
        return
    placements = list(
        db.session.scalars(
            select(MeetingPlacement).where(MeetingPlacement.version_id == version.id)
        )
    )
    tables = {
        t.id: t
        for t in db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event.id))
    }
    booth_of = {t.reserved_for_id: t.id for t in tables.values() if t.reserved_for_id}
    summary = version.summary or {}
    check.counts["meetings_scheduled"] = len(placements)
    check.counts["meetings_online"] = sum(1 for p in placements if p.table_id is None)
    check.counts["meetings_at_stands"] = sum(
        1 for p in placements if p.table_id is not None and tables[p.table_id].reserved_for_id
    )
    check.counts["meetings_unscheduled"] = summary.get("unscheduled_count", 0)
    if summary.get("scheduled") != len(placements):
        check.problems.append(
            f"the summary says {summary.get('scheduled')} scheduled, the schedule has "
            f"{len(placements)}"
        )
    if summary.get("scheduled", 0) + summary.get("unscheduled_count", 0) != summary.get("meetings"):
        check.problems.append("scheduled and unscheduled meetings do not add up")
    if summary.get("complete") != (summary.get("unscheduled_count") == 0):
        check.problems.append("the summary's complete flag disagrees with its counts")
    for placement in placements:
        meeting = meetings.get(placement.meeting_id)
        if meeting is None:
            continue
        if meeting.is_orphaned:  # cancelled by an erasure, kept as history
            continue
        a, b = meeting.pair()
        label = f"meeting {meeting.id}"
        for person in (a, b):
            busy[person.id].append((placement.start_dt, placement.end_dt, label))
            if not within_working_hours(
                person, event.timezone, placement.start_dt, placement.end_dt
            ):
                check.problems.append(f"{label} is outside {person.id}'s working hours")
        online = is_online_meeting(event, a, b, meeting.is_online)
        if online and (placement.table_id is not None or not placement.online_url):
            check.problems.append(f"{label} is online but has a table or no link")
        if not online:
            if placement.table_id is None:
                check.problems.append(f"{label} is on site but has no table")
            stand = booth_of.get(a.id) or booth_of.get(b.id)
            if stand is not None and placement.table_id != stand:
                check.problems.append(f"{label} of an exhibitor is not at their stand")
        problem = pair_rule_problem(event, a, b)
        if problem:
            check.problems.append(f"{label} breaks the rules: {problem}")
