from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.enums import ScheduleKind, ScheduleStatus, values
from api.models.types import UTCDateTime, now_utc

SCHEDULE_KINDS = values(ScheduleKind)
SCHEDULE_STATUSES = values(ScheduleStatus)


class ScheduleVersion(db.Model):  # type: ignore[name-defined,misc]
    """A draft from a solve job, or a published schedule with its diff to the previous one."""

    __tablename__ = "schedule_versions"
    __table_args__ = (
        UniqueConstraint("event_id", "kind", "number"),
        # One published version per kind, whatever races (issue 17.4).
        Index(
            "uq_schedule_versions_published",
            "event_id",
            "kind",
            unique=True,
            postgresql_where=text("status = 'published'"),
            sqlite_where=text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=ScheduleStatus.DRAFT.value)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    diff: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
