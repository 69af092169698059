"""Read models of schedules: placements with names, and one person's agenda."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

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
    SessionSpeaker,
    SignUp,
)
from api.models.enums import MeetingStatus, ScheduleKind
from api.models.meetings import LEFT_PARTICIPANT
from api.schedules.operations import published_version


def with_people() -> tuple[Any, ...]:
    """Loader options: both sides of each meeting with their organisation, in two queries
    whatever the number of meetings (no query per row)."""
    return (
        selectinload(Meeting.participant_a).joinedload(Participant.organisation),
        selectinload(Meeting.participant_b).joinedload(Participant.organisation),
    )


def person(participant: Participant | None) -> dict[str, Any]:
    """Who takes part, for read models; a participant who was erased is named as such."""
    if participant is None:
        return {"id": None, "name": LEFT_PARTICIPANT, "organisation": "", "country": ""}
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
        .options(*with_people())
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
    """The participant's published meetings and the sessions they attend or speak at.

    Times are in the participant's own zone (with its offset); a meeting also gives its
    times in the partner's zone, so both sides can check the hour the other sees.
    """
    zone_name = participant.zone_name(event.timezone)
    zone = ZoneInfo(zone_name)
    items: list[dict[str, Any]] = []
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is not None:
        rows = db.session.execute(
            select(MeetingPlacement, Meeting, MeetingTable)
            .join(Meeting, Meeting.id == MeetingPlacement.meeting_id)
            .outerjoin(MeetingTable, MeetingTable.id == MeetingPlacement.table_id)
            .where(
                MeetingPlacement.version_id == version.id,
                Meeting.status != MeetingStatus.CANCELLED,
                or_(
                    Meeting.participant_a_id == participant.id,
                    Meeting.participant_b_id == participant.id,
                ),
            )
            .options(*with_people())
        )
        for placement, meeting, table in rows:
            partner = meeting.live_partner_of(participant.id)  # not cancelled: both sides
            partner_zone_name = partner.zone_name(event.timezone)
            partner_zone = ZoneInfo(partner_zone_name)
            items.append(
                {
                    "kind": "meeting",
                    "start_dt": placement.start_dt.astimezone(zone),
                    "end_dt": placement.end_dt.astimezone(zone),
                    "title": f"Meeting with {partner.full_name} ({partner.organisation.name})",
                    "where": table.name if table else (placement.online_url or "online"),
                    "is_online": placement.table_id is None,
                    "online_url": placement.online_url,
                    "table": table.name if table else None,
                    "meeting_id": meeting.id,
                    "session_id": None,
                    "partner": person(partner),
                    "partner_timezone": partner_zone_name,
                    "partner_start_dt": placement.start_dt.astimezone(partner_zone),
                    "partner_end_dt": placement.end_dt.astimezone(partner_zone),
                }
            )
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
    # Publishing an agenda copies room and start onto each session.
    placed = (
        select(Session)
        .where(Session.id.in_(attended), Session.start_dt.is_not(None))
        .options(joinedload(Session.room))
    )
    for session in db.session.scalars(placed):
        assert session.start_dt is not None
        items.append(
            {
                "kind": "session",
                "start_dt": session.start_dt.astimezone(zone),
                "end_dt": (session.start_dt + timedelta(minutes=session.length_min)).astimezone(
                    zone
                ),
                "title": session.title,
                "where": session.room.name if session.room else "",
                "meeting_id": None,
                "session_id": session.id,
                "partner": None,
            }
        )
    items.sort(key=lambda item: (item["start_dt"], item["kind"]))
    return {
        "participant_id": participant.id,
        "timezone": zone_name,
        "items": items,
    }


def cancelled_meetings(event: Event, participant: Participant) -> list[dict[str, Any]]:
    """The participant's meetings cancelled after publication, where they were placed:
    a calendar feed lists them with STATUS:CANCELLED so subscribed calendars drop them."""
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is None:
        return []
    rows = db.session.execute(
        select(MeetingPlacement, Meeting)
        .join(Meeting, Meeting.id == MeetingPlacement.meeting_id)
        .where(
            MeetingPlacement.version_id == version.id,
            Meeting.status == MeetingStatus.CANCELLED,
            or_(
                Meeting.participant_a_id == participant.id,
                Meeting.participant_b_id == participant.id,
            ),
        )
        .options(*with_people())
    )
    items = []
    for placement, meeting in rows:
        partner = meeting.partner_of(participant.id)
        name = partner.full_name if partner is not None else LEFT_PARTICIPANT.lower()
        items.append(
            {
                "kind": "meeting",
                "status": "cancelled",
                "start_dt": placement.start_dt,
                "end_dt": placement.end_dt,
                "title": f"Cancelled: meeting with {name}",
                "where": "",
                "meeting_id": meeting.id,
                "session_id": None,
                "partner": person(partner),
            }
        )
    return items
