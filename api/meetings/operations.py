"""On the day: meetings held or missed, feedback, cancellations and minimal-move re-solves.

Re-solving after a cancellation is a ``meetings`` job: the meeting scheduler re-solves
against the published version and moves as few meetings as possible. Before the job is
queued, every meeting whose slot has already started (and every meeting marked held or
no-show) is pinned (``Meeting.is_pinned``), so the new draft never moves the past.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

import api.signals as signals
from api.events.lookup import get_in_event
from api.events.online import shown_online
from api.exceptions import Conflict, Forbidden
from api.extensions import db
from api.models import Event, Job, Meeting, MeetingPlacement, MeetingTable, Participant
from api.models.enums import JobKind, MeetingStatus, ScheduleKind
from api.models.meetings import LEFT_PARTICIPANT
from api.models.types import now_utc
from api.schedules.operations import published_version
from api.schedules.read_models import with_people
from api.solving.operations import start_job

OPEN_STATUSES = (MeetingStatus.ACCEPTED, MeetingStatus.SCHEDULED)
OUTCOME_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.HELD, MeetingStatus.NO_SHOW)


def get_meeting(event: Event, meeting_id: int) -> Meeting:
    return get_in_event(Meeting, event, meeting_id, "Meeting")


def published_placement(event: Event, meeting: Meeting) -> MeetingPlacement | None:
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is None:
        return None
    return db.session.scalar(
        select(MeetingPlacement).where(
            MeetingPlacement.version_id == version.id,
            MeetingPlacement.meeting_id == meeting.id,
        )
    )


def meeting_payload(event: Event, meeting: Meeting) -> dict[str, Any]:
    """What a webhook receives about a meeting: ids and places, never names."""
    placement = published_placement(event, meeting)
    table = (
        db.session.get(MeetingTable, placement.table_id)
        if placement and placement.table_id
        else None
    )
    return {
        "meeting_id": meeting.id,
        "status": meeting.status,
        "participant_ids": [meeting.participant_a_id, meeting.participant_b_id],
        "start_dt": placement.start_dt if placement else None,
        "end_dt": placement.end_dt if placement else None,
        "table_id": table.id if table else None,
        "table": table.name if table else None,
        "is_online": shown_online(event, meeting, placement),
    }


def _record_outcome(event: Event, meeting: Meeting, status: str) -> Meeting:
    if meeting.status not in OUTCOME_STATUSES:
        raise Conflict(f"Only a scheduled meeting can be marked {status}; it is {meeting.status}")
    if published_placement(event, meeting) is None:
        raise Conflict("The meeting is not in the published schedule")
    meeting.status = status
    # What happened stays where it happened when the schedule is re-solved.
    meeting.is_pinned = True
    return meeting


def mark_held(event: Event, meeting: Meeting) -> Meeting:
    return _record_outcome(event, meeting, MeetingStatus.HELD)


def mark_no_show(event: Event, meeting: Meeting) -> Meeting:
    return _record_outcome(event, meeting, MeetingStatus.NO_SHOW)


def cancel_meeting(meeting: Meeting) -> Meeting:
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict("The meeting is already cancelled")
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.NO_SHOW):
        raise Conflict(f"A meeting marked {meeting.status} cannot be cancelled")
    was_published = meeting.status == MeetingStatus.SCHEDULED
    meeting.status = MeetingStatus.CANCELLED
    meeting.is_pinned = False
    if was_published:
        event = db.session.get(Event, meeting.event_id)
        signals.send(signals.meeting_cancelled, event=event, meeting=meeting)
    return meeting


def write_feedback(meeting: Meeting, participant: Participant, text: str) -> Meeting:
    """Each side writes their own feedback; it may be rewritten until the event ends."""
    if meeting.participant_a_id == participant.id:
        meeting.feedback_a = text
    elif meeting.participant_b_id == participant.id:
        meeting.feedback_b = text
    else:
        raise Forbidden("Only the two participants of a meeting write its feedback")
    if meeting.status in OPEN_STATUSES:
        raise Conflict("Feedback comes after the meeting: it is not marked held yet")
    return meeting


def pin_started_meetings(event: Event, at: datetime | None = None) -> int:
    """Pin published meetings whose slot has started, and every held or missed one."""
    at = at or now_utc()
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is None:
        return 0
    started = set(
        db.session.scalars(
            select(MeetingPlacement.meeting_id).where(
                MeetingPlacement.version_id == version.id, MeetingPlacement.start_dt <= at
            )
        )
    )
    pinned = 0
    for meeting in db.session.scalars(
        select(Meeting).where(
            Meeting.event_id == event.id,
            Meeting.status != MeetingStatus.CANCELLED,
            or_(
                Meeting.id.in_(started),
                Meeting.status.in_((MeetingStatus.HELD, MeetingStatus.NO_SHOW)),
            ),
        )
    ):
        if not meeting.is_pinned:
            meeting.is_pinned = True
            pinned += 1
    return pinned


def request_resolve(
    event: Event, params: dict[str, Any], at: datetime | None = None
) -> tuple[Job, int]:
    """Pin what has started, then queue a minimal-move ``meetings`` job; (job, newly pinned)."""
    if published_version(event, ScheduleKind.MEETINGS) is None:
        raise Conflict("Publish a meeting schedule before re-solving it")
    pinned = pin_started_meetings(event, at)
    db.session.flush()
    job, _created = start_job(event, JobKind.MEETINGS, params)
    return job, pinned


def _name(person: Participant | None) -> str:
    return person.full_name if person is not None else LEFT_PARTICIPANT


def _organisation(person: Participant | None) -> str:
    return person.organisation.name if person is not None else ""


def meeting_rows(
    event: Event, participant_id: int | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Meetings with their published slot and table (none if not in the schedule)."""
    version = published_version(event, ScheduleKind.MEETINGS)
    query = select(Meeting).where(Meeting.event_id == event.id)
    if participant_id is not None:
        query = query.where(
            or_(
                Meeting.participant_a_id == participant_id,
                Meeting.participant_b_id == participant_id,
            )
        )
    if status is not None:
        query = query.where(Meeting.status == status)
    meetings = list(db.session.scalars(query.order_by(Meeting.id).options(*with_people())))
    placements: dict[int, MeetingPlacement] = {}
    if version is not None:
        placements = {
            p.meeting_id: p
            for p in db.session.scalars(
                select(MeetingPlacement).where(MeetingPlacement.version_id == version.id)
            )
        }
    tables = {
        t.id: t.name
        for t in db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event.id))
    }
    rows = []
    for meeting in meetings:
        placement = placements.get(meeting.id)
        rows.append(
            {
                "id": meeting.id,
                "status": meeting.status,
                "participant_a_id": meeting.participant_a_id,
                "participant_b_id": meeting.participant_b_id,
                "participant_a": _name(meeting.participant_a),
                "participant_b": _name(meeting.participant_b),
                "organisation_a": _organisation(meeting.participant_a),
                "organisation_b": _organisation(meeting.participant_b),
                "is_online": shown_online(event, meeting, placement),
                "is_pinned": meeting.is_pinned,
                "slot": placement.slot if placement else None,
                "start_dt": placement.start_dt if placement else None,
                "end_dt": placement.end_dt if placement else None,
                "table_id": placement.table_id if placement else None,
                "table": tables.get(placement.table_id)
                if placement and placement.table_id
                else None,
                "online_url": placement.online_url if placement else None,
                "feedback_a": meeting.feedback_a,
                "feedback_b": meeting.feedback_b,
            }
        )
    return rows
