"""Which meeting slots a participant cannot use: outside their working hours (in their
own zone), outside their availability windows, and during sessions they attend.

Sessions a participant attends or speaks at block the meeting slots they overlap, so the
agenda and the meeting schedule never double-book a person.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from api.events.slots import Slot
from api.events.working_hours import within_working_hours
from api.extensions import db
from api.models import Event, Participant, Session, SessionSpeaker, SignUp


def _overlaps(slot: Slot, start: datetime, end: datetime) -> bool:
    return slot.start_dt < end and start < slot.end_dt


def session_times(event: Event) -> dict[int, tuple[datetime, datetime]]:
    """Each placed session's time (publishing an agenda copies its times onto the sessions)."""
    return {
        session.id: (session.start_dt, session.start_dt + timedelta(minutes=session.length_min))
        for session in db.session.scalars(
            select(Session).where(Session.event_id == event.id, Session.start_dt.is_not(None))
        )
        if session.start_dt is not None
    }


def blocked_slots(
    event: Event, slots: list[Slot], participants: list[Participant]
) -> dict[int, set[int]]:
    """Participant id -> indices of the slots they cannot meet in."""
    blocked: dict[int, set[int]] = defaultdict(set)
    for participant in participants:
        blocked[participant.id].update(
            slot.index
            for slot in slots
            if not within_working_hours(participant, event.timezone, slot.start_dt, slot.end_dt)
        )
        if participant.availability:
            for slot in slots:
                if not any(
                    w.start_dt <= slot.start_dt and slot.end_dt <= w.end_dt
                    for w in participant.availability
                ):
                    blocked[participant.id].add(slot.index)
    times = session_times(event)
    attending = db.session.execute(
        select(SignUp.participant_id, SignUp.session_id)
        .join(Session)
        .where(Session.event_id == event.id, SignUp.kind == "attend")
    )
    speaking = db.session.execute(
        select(SessionSpeaker.participant_id, SessionSpeaker.session_id)
        .join(Session)
        .where(Session.event_id == event.id, SessionSpeaker.participant_id.is_not(None))
    )
    for participant_id, session_id in [*attending, *speaking]:
        if session_id not in times:
            continue
        start, end = times[session_id]
        blocked[participant_id].update(s.index for s in slots if _overlaps(s, start, end))
    return blocked
