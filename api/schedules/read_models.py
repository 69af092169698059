"""Read models of schedules: placements with names, and one person's agenda."""

from __future__ import annotations

from collections.abc import Sequence
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
    return personal_schedules(event, [participant])[participant.id]


# Participants per query of ``personal_schedules`` (bound parameters stay well under
# SQLite's limit).
_BATCH = 500


def personal_schedules(
    event: Event, participants: Sequence[Participant]
) -> dict[int, dict[str, Any]]:
    """``personal_schedule`` for many participants at once (a publish mails everyone),
    in a fixed number of queries per batch of participants."""
    zones = {p.id: p.zone_name(event.timezone) for p in participants}
    items: dict[int, list[dict[str, Any]]] = {p.id: [] for p in participants}
    version = published_version(event, ScheduleKind.MEETINGS)
    ids = list(items)
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        in_batch = set(batch)
        if version is not None:
            rows = db.session.execute(
                select(MeetingPlacement, Meeting, MeetingTable)
                .join(Meeting, Meeting.id == MeetingPlacement.meeting_id)
                .outerjoin(MeetingTable, MeetingTable.id == MeetingPlacement.table_id)
                .where(
                    MeetingPlacement.version_id == version.id,
                    Meeting.status != MeetingStatus.CANCELLED,
                    or_(
                        Meeting.participant_a_id.in_(batch),
                        Meeting.participant_b_id.in_(batch),
                    ),
                )
                .options(*with_people())
            )
            for placement, meeting, table in rows:
                for pid in (meeting.participant_a_id, meeting.participant_b_id):
                    # A meeting across two batches is read in each: each side takes it once.
                    if pid in in_batch:
                        items[pid].append(
                            _meeting_item(event, placement, meeting, table, pid, zones[pid])
                        )
        attended: dict[int, set[int]] = {pid: set() for pid in batch}
        signed_up = db.session.execute(
            select(SignUp.participant_id, SignUp.session_id).where(
                SignUp.participant_id.in_(batch), SignUp.kind == "attend"
            )
        )
        speaking = db.session.execute(
            select(SessionSpeaker.participant_id, SessionSpeaker.session_id).where(
                SessionSpeaker.participant_id.in_(batch)
            )
        )
        for pid, session_id in [*signed_up, *speaking]:
            attended[pid].add(session_id)
        wanted = set().union(*attended.values())
        # Publishing an agenda copies room and start onto each session.
        placed = {
            session.id: session
            for session in db.session.scalars(
                select(Session)
                .where(Session.id.in_(wanted), Session.start_dt.is_not(None))
                .options(joinedload(Session.room))
            )
        }
        for pid, session_ids in attended.items():
            zone = ZoneInfo(zones[pid])
            for session_id in session_ids:
                if session_id in placed:
                    items[pid].append(_session_item(placed[session_id], zone))
    for entries in items.values():
        entries.sort(key=lambda item: (item["start_dt"], item["kind"]))
    return {
        pid: {"participant_id": pid, "timezone": zones[pid], "items": entries}
        for pid, entries in items.items()
    }


def _meeting_item(
    event: Event,
    placement: MeetingPlacement,
    meeting: Meeting,
    table: MeetingTable | None,
    participant_id: int,
    zone_name: str,
) -> dict[str, Any]:
    zone = ZoneInfo(zone_name)
    partner = meeting.live_partner_of(participant_id)  # not cancelled: both sides
    partner_zone_name = partner.zone_name(event.timezone)
    partner_zone = ZoneInfo(partner_zone_name)
    return {
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


def _session_item(session: Session, zone: ZoneInfo) -> dict[str, Any]:
    assert session.start_dt is not None
    return {
        "kind": "session",
        "start_dt": session.start_dt.astimezone(zone),
        "end_dt": (session.start_dt + timedelta(minutes=session.length_min)).astimezone(zone),
        "title": session.title,
        "where": session.room.name if session.room else "",
        "meeting_id": None,
        "session_id": session.id,
        "partner": None,
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
