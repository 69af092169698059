from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.enums import MeetingStatus, values
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.participants import Participant

MEETING_STATUSES = values(MeetingStatus)


class Meeting(db.Model):  # type: ignore[name-defined,misc]
    """A meeting to schedule between two participants; its slot lives in placements."""

    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint("participant_a_id <> participant_b_id", name="two_people"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="SET NULL"), unique=True
    )
    participant_a_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    participant_b_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.ACCEPTED.value)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback_a: Mapped[str] = mapped_column(Text, default="")
    feedback_b: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    participant_a: Mapped[Participant] = relationship(foreign_keys=[participant_a_id])
    participant_b: Mapped[Participant] = relationship(foreign_keys=[participant_b_id])

    def involves(self, participant_id: int) -> bool:
        return participant_id in (self.participant_a_id, self.participant_b_id)
