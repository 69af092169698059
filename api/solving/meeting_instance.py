"""From an event's rows to the meeting scheduler's instance, and back to placements."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from api.events.online import LinkAllocator, is_online_meeting
from api.events.slots import Slot, event_slots
from api.exceptions import JobFailed
from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    MeetingSeat,
    MeetingTable,
    Participant,
    ScheduleVersion,
)
from api.models.enums import MeetingStatus, ScheduleKind
from api.schedules.operations import published_version
from api.solving.blocked_slots import blocked_slots
from scheduler.meetings import instance as mi
from scheduler.meetings.result import MeetingResult

# Held and no-show meetings stay where they were: a re-solve pins them.
PLACEABLE_STATUSES = (
    MeetingStatus.ACCEPTED,
    MeetingStatus.SCHEDULED,
    MeetingStatus.HELD,
    MeetingStatus.NO_SHOW,
)
PINNED_STATUSES = (MeetingStatus.HELD, MeetingStatus.NO_SHOW)


@dataclass(frozen=True)
class EventInstance:
    instance: mi.MeetingInstance
    slots: list[Slot]
    meetings: dict[str, Meeting]


def build_meeting_instance(event: Event) -> EventInstance:
    slots = event_slots(event)
    if not slots:
        raise JobFailed(
            "The event has no meeting slots: add meeting blocks to its meeting settings."
        )
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.event_id == event.id, Meeting.status.in_(PLACEABLE_STATUSES))
            .order_by(Meeting.created_dt, Meeting.id)
        )
    )
    pairs = {m.id: m.pair_ids() for m in meetings}  # placeable meetings have both sides
    involved = {pid for pair in pairs.values() for pid in pair}
    tables = list(
        db.session.scalars(
            select(MeetingTable).where(MeetingTable.event_id == event.id).order_by(MeetingTable.id)
        )
    )
    involved |= {t.reserved_for_id for t in tables if t.reserved_for_id is not None}
    participants = list(db.session.scalars(select(Participant).where(Participant.id.in_(involved))))
    by_id = {p.id: p for p in participants}
    online = {
        m.id: is_online_meeting(event, by_id[pairs[m.id][0]], by_id[pairs[m.id][1]], m.is_online)
        for m in meetings
    }
    blocked = blocked_slots(event, slots, participants)
    previous: dict[str, mi.Placement] = {}
    version = published_version(event, ScheduleKind.MEETINGS)
    if version is not None:
        for placement in db.session.scalars(
            select(MeetingPlacement).where(MeetingPlacement.version_id == version.id)
        ):
            table = str(placement.table_id) if placement.table_id is not None else None
            previous[str(placement.meeting_id)] = mi.Placement(slot=placement.slot, table=table)
    usable_previous = {key: value for key, value in previous.items() if value.slot < len(slots)}
    instance = mi.MeetingInstance(
        participants=tuple(
            mi.Participant(
                id=str(p.id),
                name=p.full_name,
                forbidden_slots=frozenset(blocked.get(p.id, set())),
                max_meetings=event.max_meetings_per_participant,
            )
            for p in participants
        ),
        meetings=tuple(
            mi.Meeting(
                id=str(m.id),
                participant_a=str(pairs[m.id][0]),
                participant_b=str(pairs[m.id][1]),
                priority=m.priority,
                is_online=online[m.id],
            )
            for m in meetings
        ),
        n_slots=len(slots),
        n_morning_slots=len(slots),
        tables=tuple(
            mi.Table(
                id=str(t.id),
                name=t.name,
                reserved_for=str(t.reserved_for_id) if t.reserved_for_id else None,
            )
            for t in tables
        ),
        fairness=event.fairness,
        # Sessions a participant attends are not idle time the schedule could avoid.
        fairness_excludes_forced=True,
        previous=usable_previous,
        pinned=frozenset(
            str(m.id)
            for m in meetings
            if (m.is_pinned or m.status in PINNED_STATUSES) and str(m.id) in usable_previous
        ),
        name=event.slug,
        slot_labels=tuple(f"{s.start_dt:%a %H:%M}" for s in slots),
    )
    _check_placeable(instance)
    return EventInstance(instance, slots, {str(m.id): m for m in meetings})


def _check_placeable(instance: mi.MeetingInstance) -> None:
    """Fail before solving when a setting the organiser can change keeps meetings out."""
    if instance.tables:
        return
    on_site = sum(1 for m in instance.meetings if instance.uses_shared_table(m))
    if on_site:
        raise JobFailed(
            f"{on_site} of {len(instance.meetings)} meetings are on site (both sides attend "
            "on site) and the event has no tables: add tables, or allow online meetings "
            "(meeting_settings.online_policy)."
        )


def fresh_meeting_instance(event: Event) -> mi.MeetingInstance:
    """The event's instance as a first solve sees it: no published version to keep."""
    return dataclasses.replace(
        build_meeting_instance(event).instance, previous={}, pinned=frozenset()
    )


def store_meeting_result(
    event: Event,
    version: ScheduleVersion,
    built: EventInstance,
    result: MeetingResult,
    *,
    link_template: str | None = None,
    secret_key: str = "",
) -> dict[str, Any]:
    """Stage placements and seats for a draft version; returns the version summary.

    Online meetings (no table) get their video link here (see ``api.events.online``).
    ``Meeting.is_online`` stays the organiser's own flag: whether a meeting is online is
    decided at each solve from the policy and both sides' attendance.
    """
    links = LinkAllocator(event, secret_key, link_template)
    online_ids = {m.id for m in built.instance.meetings if m.is_online}
    without_link = 0
    for meeting_id, assignment in sorted(
        result.assignments.items(), key=lambda item: (item[1].slot, int(item[0]))
    ):
        meeting = built.meetings[meeting_id]
        slot = built.slots[assignment.slot]
        table_id = int(assignment.table) if assignment.table is not None else None
        url = links.link(slot.index, meeting.id) if meeting_id in online_ids else None
        if meeting_id in online_ids and url is None:
            without_link += 1
        placement = MeetingPlacement(
            version_id=version.id,
            meeting_id=meeting.id,
            slot=slot.index,
            start_dt=slot.start_dt,
            end_dt=slot.end_dt,
            table_id=table_id,
            online_url=url,
        )
        placement.seats = [
            MeetingSeat(version_id=version.id, participant_id=pid, start_dt=slot.start_dt)
            for pid in meeting.pair_ids()
        ]
        db.session.add(placement)
    n_tables = max(1, len(built.instance.tables))
    per_slot = [0] * len(built.slots)
    for assignment in result.assignments.values():
        if assignment.table is not None:
            per_slot[assignment.slot] += 1
    summary: dict[str, Any] = {
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "solve_seconds": round(result.seconds, 3),
        "meetings": len(built.meetings),
        "scheduled": len(result.assignments),
        # A result that leaves meetings out says so: the job and the version show it.
        "complete": len(result.assignments) == len(built.meetings),
        "unscheduled_count": len(built.meetings) - len(result.assignments),
        "online": sum(1 for m in result.assignments if m in online_ids),
        "online_without_link": without_link,
        "unscheduled": [
            {
                "meeting_id": int(item.meeting_id),
                "reason": str(item.reason),
                "participant_ids": [int(p) for p in item.participant_ids],
                "detail": item.detail,
            }
            for item in result.unscheduled
        ],
        "total_breaks": sum(result.breaks.values()),
        "max_breaks": max(result.breaks.values(), default=0),
        "table_utilisation": round(sum(per_slot) / (n_tables * max(1, len(per_slot))), 3),
        "table_changes": result.table_changes,
        "moves": result.moves,
    }
    version.summary = summary
    if result.diff is not None:
        version.diff = {
            "new": [int(m) for m in result.diff.new],
            "moved": [int(m) for m in result.diff.moved],
            "cancelled": [int(m) for m in result.diff.dropped],
        }
    return summary
