from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db


class MeetingTable(db.Model):  # type: ignore[name-defined,misc]
    """A table or meeting point; an exhibitor's booth is reserved to one participant."""

    __tablename__ = "meeting_tables"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # One booth per participant (issue 17.7): the meetings job cannot place two.
    reserved_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), unique=True, index=True
    )
