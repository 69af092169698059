from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.enums import RequestOrigin, RequestStatus, values
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.meetings import Meeting
    from api.models.participants import Participant

REQUEST_STATUSES = values(RequestStatus)
REQUEST_ORIGINS = values(RequestOrigin)


class MeetingRequest(db.Model):  # type: ignore[name-defined,misc]
    """One participant asking another for a meeting."""

    __tablename__ = "meeting_requests"
    __table_args__ = (CheckConstraint("requester_id <> invitee_id", name="not_self"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    invitee_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    # The invitee's word when declining, shown to the requester.
    answer_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.PENDING.value, index=True)
    origin: Mapped[str] = mapped_column(String(12), default="participant")
    score: Mapped[float | None] = mapped_column()
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    answered_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every transition: an answer only applies to the version it read.
    version: Mapped[int] = mapped_column(Integer, default=1)

    # selectin: a page of requests loads its people and meetings in a query each.
    requester: Mapped[Participant] = relationship(foreign_keys=[requester_id], lazy="selectin")
    invitee: Mapped[Participant] = relationship(foreign_keys=[invitee_id], lazy="selectin")
    meeting: Mapped[Meeting | None] = relationship(
        primaryjoin="Meeting.request_id == MeetingRequest.id",
        foreign_keys="Meeting.request_id",
        uselist=False,
        viewonly=True,
        lazy="selectin",
    )
