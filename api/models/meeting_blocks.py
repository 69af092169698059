from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db

if TYPE_CHECKING:
    from api.models.events import Event


class MeetingBlock(db.Model):  # type: ignore[name-defined,misc]
    """A window of one-to-one meetings on one day, in the event's local time."""

    __tablename__ = "meeting_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)

    event: Mapped[Event] = relationship(back_populates="meeting_blocks")
