from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.enums import OpportunityKind, values
from api.models.tags import opportunity_tags
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.participants import Participant
    from api.models.tags import Tag

OPPORTUNITY_KINDS = values(OpportunityKind)


class Opportunity(db.Model):  # type: ignore[name-defined,misc]
    """A marketplace item: what a participant offers or looks for."""

    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    participant: Mapped[Participant] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=opportunity_tags)
