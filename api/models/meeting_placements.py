from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.types import UTCDateTime


class MeetingPlacement(db.Model):  # type: ignore[name-defined,misc]
    """Where and when a meeting takes place in one schedule version."""

    __tablename__ = "meeting_placements"
    __table_args__ = (
        UniqueConstraint("version_id", "meeting_id"),
        # A table holds one meeting per slot (online meetings have no table; NULLs differ).
        UniqueConstraint("version_id", "table_id", "start_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_versions.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    end_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_tables.id", ondelete="SET NULL")
    )
    online_url: Mapped[str | None] = mapped_column(String(300))

    seats: Mapped[list[MeetingSeat]] = relationship(cascade="all, delete-orphan")


class MeetingSeat(db.Model):  # type: ignore[name-defined,misc]
    """One participant's seat in a placement: the database refuses a double booking."""

    __tablename__ = "meeting_seats"
    __table_args__ = (UniqueConstraint("version_id", "participant_id", "start_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_placements.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("schedule_versions.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime)
