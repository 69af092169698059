"""Organiser statistics: registrations, requests, meetings, breaks and table use."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

from sqlalchemy import Select, func, select

from api.events.slots import event_slots
from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    MeetingRequest,
    MeetingTable,
    Organisation,
    Participant,
    Tag,
)
from api.models.enums import MeetingStatus, RequestStatus, ScheduleKind
from api.models.tags import organisation_tags
from api.schedules.operations import published_version


def _sorted(counter: Counter[str]) -> list[dict[str, Any]]:
    return [
        {"label": k, "count": v} for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _counts(query: Select[str, int]) -> Counter[str]:
    """A ``select(label, count)`` grouped query as a Counter."""
    return Counter({str(label): int(count) for label, count in db.session.execute(query)})


def breaks_of(slots: list[int]) -> int:
    """Maximal runs of idle slots between two of a person's meetings."""
    ordered = sorted(set(slots))
    return sum(1 for a, b in pairwise(ordered) if b - a > 1)


def event_stats(event: Event) -> dict[str, Any]:
    participants = list(
        db.session.execute(
            select(Participant.id, Organisation.country, Organisation.type)
            .join(Organisation, Organisation.id == Participant.organisation_id)
            .where(Participant.event_id == event.id)
        )
    )
    sectors = _counts(
        select(Tag.label, func.count(Participant.id))
        .join(organisation_tags, organisation_tags.c.tag_id == Tag.id)
        .join(Participant, Participant.organisation_id == organisation_tags.c.organisation_id)
        .where(Tag.event_id == event.id, Tag.kind == "sector")
        .group_by(Tag.label)
    )
    requests = _counts(
        select(MeetingRequest.status, func.count(MeetingRequest.id))
        .where(MeetingRequest.event_id == event.id)
        .group_by(MeetingRequest.status)
    )
    answered = requests[RequestStatus.ACCEPTED] + requests[RequestStatus.DECLINED]
    meetings = _counts(
        select(Meeting.status, func.count(Meeting.id))
        .where(Meeting.event_id == event.id)
        .group_by(Meeting.status)
    )
    slots = event_slots(event)
    tables = list(db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event.id)))
    version = published_version(event, ScheduleKind.MEETINGS)
    per_person: dict[int, list[int]] = defaultdict(list)
    per_slot = [0] * len(slots)
    grid: dict[int, set[int]] = defaultdict(set)
    if version is not None:
        rows = db.session.execute(
            select(MeetingPlacement.slot, MeetingPlacement.table_id, Meeting)
            .join(Meeting, Meeting.id == MeetingPlacement.meeting_id)
            .where(
                MeetingPlacement.version_id == version.id, Meeting.status != MeetingStatus.CANCELLED
            )
        )
        for slot, table_id, meeting in rows:
            for pid in meeting.pair_ids():
                per_person[pid].append(slot)
            if table_id is not None and slot < len(per_slot):
                per_slot[slot] += 1
                grid[table_id].add(slot)
    breaks = Counter(breaks_of(s) for s in per_person.values())
    meeting_counts = Counter(len(s) for s in per_person.values())
    n_tables = len(tables)
    return {
        "event_id": event.id,
        "registrations": {
            "total": len(participants),
            "by_country": _sorted(Counter(country for _, country, _ in participants)),
            "by_type": _sorted(Counter(kind for _, _, kind in participants)),
            "by_sector": _sorted(sectors),
        },
        "requests": {
            "total": sum(requests.values()),
            "by_status": dict(sorted(requests.items())),
            "acceptance_rate": round(requests[RequestStatus.ACCEPTED] / answered, 3)
            if answered
            else None,
        },
        "meetings": {
            "total": sum(meetings.values()),
            "scheduled": meetings[MeetingStatus.SCHEDULED],
            "held": meetings[MeetingStatus.HELD],
            "no_shows": meetings[MeetingStatus.NO_SHOW],
            "cancelled": meetings[MeetingStatus.CANCELLED],
            "unscheduled": meetings[MeetingStatus.ACCEPTED],
        },
        "breaks": {
            "total": sum(b * n for b, n in breaks.items()),
            "histogram": [
                {"breaks": b, "participants": breaks[b]} for b in range(max(breaks, default=0) + 1)
            ],
            "max": max(breaks, default=0),
        },
        "meetings_per_participant": [
            {"meetings": m, "participants": meeting_counts[m]}
            for m in range(1, max(meeting_counts, default=0) + 1)
        ],
        "tables": {
            "count": n_tables,
            "utilisation_per_slot": [
                {
                    "slot": slot.index,
                    "start_dt": slot.start_dt,
                    "used": per_slot[slot.index],
                    "rate": round(per_slot[slot.index] / n_tables, 3) if n_tables else 0.0,
                }
                for slot in slots
            ],
            "occupancy": [
                {"table_id": t.id, "table": t.name, "slots": sorted(grid.get(t.id, set()))}
                for t in sorted(tables, key=lambda t: t.id)
            ],
        },
        "published_version_id": version.id if version else None,
    }
