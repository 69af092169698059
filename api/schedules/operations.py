"""Schedule versions: drafts from solve jobs, publishing, and the diff between versions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

import api.signals as signals
from api.events.lookup import get_in_event
from api.exceptions import Conflict
from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    ScheduleVersion,
    Session,
    SessionPlacement,
)
from api.models.enums import MeetingStatus, ScheduleKind, ScheduleStatus
from api.models.types import now_utc


def published_version(event: Event, kind: str) -> ScheduleVersion | None:
    return db.session.scalar(
        select(ScheduleVersion).where(
            ScheduleVersion.event_id == event.id,
            ScheduleVersion.kind == kind,
            ScheduleVersion.status == ScheduleStatus.PUBLISHED,
        )
    )


def new_version(event: Event, kind: str, job_id: int | None) -> ScheduleVersion:
    number = (
        db.session.scalar(
            select(func.max(ScheduleVersion.number)).where(
                ScheduleVersion.event_id == event.id, ScheduleVersion.kind == kind
            )
        )
        or 0
    ) + 1
    version = ScheduleVersion(
        event_id=event.id, kind=kind, number=number, status=ScheduleStatus.DRAFT, job_id=job_id
    )
    db.session.add(version)
    db.session.flush()
    return version


def _positions(version: ScheduleVersion | None) -> dict[int, tuple[Any, ...]]:
    """Item id -> where it is, for diffs: (start, table) or (start, room)."""
    if version is None:
        return {}
    if version.kind == ScheduleKind.MEETINGS:
        rows = db.session.execute(
            select(
                MeetingPlacement.meeting_id, MeetingPlacement.start_dt, MeetingPlacement.table_id
            ).where(MeetingPlacement.version_id == version.id)
        )
    else:
        rows = db.session.execute(
            select(
                SessionPlacement.session_id, SessionPlacement.start_dt, SessionPlacement.room_id
            ).where(SessionPlacement.version_id == version.id)
        )
    return {item: (start, where) for item, start, where in rows}


def diff_versions(old: ScheduleVersion | None, new: ScheduleVersion) -> dict[str, list[int]]:
    """New, moved (time or place changed) and cancelled items between two versions."""
    before, after = _positions(old), _positions(new)
    return {
        "new": sorted(set(after) - set(before)),
        "moved": sorted(i for i in set(after) & set(before) if after[i] != before[i]),
        "cancelled": sorted(set(before) - set(after)),
    }


def get_version(event: Event, version_id: int) -> ScheduleVersion:
    return get_in_event(ScheduleVersion, event, version_id, "Schedule version")


def publish_version(event: Event, version: ScheduleVersion) -> ScheduleVersion:
    """Make a draft the published schedule; the previous one is superseded, diff kept."""
    if version.status != ScheduleStatus.DRAFT:
        raise Conflict(f"Only a draft can be published; this version is {version.status}")
    previous = published_version(event, version.kind)
    version.diff = diff_versions(previous, version)
    if previous is not None:
        # Conditional, so a publish racing this one (which superseded ``previous``
        # first) makes this one a 409; the partial unique index on published versions
        # refuses the rest (two first publishes of a kind).
        superseded = db.session.execute(
            update(ScheduleVersion)
            .where(
                ScheduleVersion.id == previous.id,
                ScheduleVersion.status == ScheduleStatus.PUBLISHED,
            )
            .values(status=ScheduleStatus.SUPERSEDED)
            .execution_options(synchronize_session=False)
        )
        if superseded.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("Another schedule was published meanwhile; reload and try again.")
        db.session.refresh(previous)
    published = db.session.execute(
        update(ScheduleVersion)
        .where(ScheduleVersion.id == version.id, ScheduleVersion.status == ScheduleStatus.DRAFT)
        .values(status=ScheduleStatus.PUBLISHED, published_dt=now_utc(), diff=version.diff)
        .execution_options(synchronize_session=False)
    )
    if published.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This draft was published or discarded meanwhile.")
    db.session.refresh(version)
    if version.kind == ScheduleKind.MEETINGS:
        _mark_meetings(event, version)
    else:
        _apply_agenda(version)
    db.session.flush()
    signals.send(signals.schedule_published, event=event, version=version)
    return version


def _mark_meetings(event: Event, version: ScheduleVersion) -> None:
    placed = set(
        db.session.scalars(
            select(MeetingPlacement.meeting_id).where(MeetingPlacement.version_id == version.id)
        )
    )
    for meeting in db.session.scalars(
        select(Meeting).where(
            Meeting.event_id == event.id,
            Meeting.status.in_((MeetingStatus.ACCEPTED, MeetingStatus.SCHEDULED)),
        )
    ):
        meeting.status = MeetingStatus.SCHEDULED if meeting.id in placed else MeetingStatus.ACCEPTED


def _apply_agenda(version: ScheduleVersion) -> None:
    """Published sessions carry their room and time, so every reader sees one agenda."""
    for placement in db.session.scalars(
        select(SessionPlacement).where(SessionPlacement.version_id == version.id)
    ):
        session = db.session.get(Session, placement.session_id)
        if session is not None:
            session.room_id = placement.room_id
            session.start_dt = placement.start_dt
