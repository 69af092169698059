"""Read models of schedules: placements with names, and one person's agenda."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    MeetingTable,
    Participant,
    Room,
    ScheduleVersion,
    Session,
    SessionPlacement,
    SignUp,
)
from api.services.blocked_slots import session_times
from api.services.schedules import published_version


def person(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.full_name,
        "organisation": participant.organisation.name,
        "country": participant.organisation.country,
    }


def meeting_placements(version: ScheduleVersion) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(MeetingPlacement, Meeting, MeetingTable)
        .join(Meeting, Meeting.id == MeetingPlacement.meeting_id)
        .outerjoin(MeetingTable, MeetingTable.id == MeetingPlacement.table_id)
        .where(MeetingPlacement.version_id == version.id)
        .order_by(MeetingPlacement.slot, MeetingPlacement.table_id)
    )
    return [
        {
            "meeting_id": placement.meeting_id,
            "slot": placement.slot,
            "start_dt": placement.start_dt,
            "end_dt": placement.end_dt,
            "table_id": placement.table_id,
            "table": table.name if table else None,
            "online_url": placement.online_url,
            "participants": [person(meeting.participant_a), person(meeting.participant_b)],
        }
        for placement, meeting, table in rows
    ]


def session_placements(version: ScheduleVersion) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(SessionPlacement, Session, Room)
        .join(Session, Session.id == SessionPlacement.session_id)
        .join(Room, Room.id == SessionPlacement.room_id)
        .where(SessionPlacement.version_id == version.id)
        .order_by(SessionPlacement.start_dt, Room.name)
    )
    return [
        {
            "session_id": session.id,
            "title": session.title,
            "kind": session.kind,
            "room_id": room.id,
            "room": room.name,
            "start_dt": placement.start_dt,
            "end_dt": placement.end_dt,
        }
        for placement, session, room in rows
    ]


def personal_schedule(event: Event, participant: Participant) -> dict[str, Any]:
    """The participant's published meetings and the sessions they attend or speak at."""
    items: list[dict[str, Any]] = []
    version = published_version(event, "meetings")
    if version is not None:
        rows = db.session.execute(
            select(MeetingPlacement, Meeting, MeetingTable)
            .join(Meeting, Meeting.id == MeetingPlacement.meeting_id)
            .outerjoin(MeetingTable, MeetingTable.id == MeetingPlacement.table_id)
            .where(
                MeetingPlacement.version_id == version.id,
                Meeting.status != "cancelled",
                or_(
                    Meeting.participant_a_id == participant.id,
                    Meeting.participant_b_id == participant.id,
                ),
            )
        )
        for placement, meeting, table in rows:
            partner = (
                meeting.participant_b
                if meeting.participant_a_id == participant.id
                else meeting.participant_a
            )
            items.append(
                {
                    "kind": "meeting",
                    "start_dt": placement.start_dt,
                    "end_dt": placement.end_dt,
                    "title": f"Meeting with {partner.full_name} ({partner.organisation.name})",
                    "where": table.name if table else (placement.online_url or "online"),
                    "meeting_id": meeting.id,
                    "session_id": None,
                    "partner": person(partner),
                }
            )
    times = session_times(event)
    rooms = {
        room.id: room.name
        for room in db.session.scalars(select(Room).where(Room.event_id == event.id))
    }
    agenda_version = published_version(event, "agenda")
    room_of: dict[int, int | None] = {}
    if agenda_version is not None:
        for placement in db.session.scalars(
            select(SessionPlacement).where(SessionPlacement.version_id == agenda_version.id)
        ):
            room_of[placement.session_id] = placement.room_id
    from api.models import SessionSpeaker

    attended = set(
        db.session.scalars(
            select(SignUp.session_id).where(
                SignUp.participant_id == participant.id, SignUp.kind == "attend"
            )
        )
    ) | set(
        db.session.scalars(
            select(SessionSpeaker.session_id).where(SessionSpeaker.participant_id == participant.id)
        )
    )
    for session in db.session.scalars(select(Session).where(Session.id.in_(attended))):
        if session.id not in times:
            continue
        start, end = times[session.id]
        room_id = room_of.get(session.id, session.room_id)
        items.append(
            {
                "kind": "session",
                "start_dt": start,
                "end_dt": end,
                "title": session.title,
                "where": rooms.get(room_id, "") if room_id else "",
                "meeting_id": None,
                "session_id": session.id,
                "partner": None,
            }
        )
    items.sort(key=lambda item: (item["start_dt"], item["kind"]))
    return {
        "participant_id": participant.id,
        "timezone": participant.timezone or event.timezone,
        "items": items,
    }
