from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.enums import SessionKind, values
from api.models.types import UTCDateTime

if TYPE_CHECKING:
    from api.models.rooms import Room
    from api.models.session_speakers import SessionSpeaker

SESSION_KINDS = values(SessionKind)


class Session(db.Model):  # type: ignore[name-defined,misc]
    """A programme item; room and start come from the organiser or the agenda solver."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(250))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(80), default="")
    length_min: Mapped[int] = mapped_column(Integer)
    required_features: Mapped[list[str]] = mapped_column(JSON, default=list)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    start_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)

    room: Mapped[Room | None] = relationship()
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        cascade="all, delete-orphan", order_by="SessionSpeaker.id"
    )
