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
# How readers name the side of a meeting whose participant was erased.
LEFT_PARTICIPANT = "A participant who left"


class Meeting(db.Model):  # type: ignore[name-defined,misc]
    """A meeting to schedule between two participants; its slot lives in placements."""

    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint("participant_a_id <> participant_b_id", name="two_people"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="SET NULL"), unique=True
    )
    # NULL once that participant was erased (GDPR): the meeting stays, cancelled, so
    # published versions and partners' feeds keep it (api/privacy/erasure.py).
    participant_a_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    participant_b_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.ACCEPTED.value)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback_a: Mapped[str] = mapped_column(Text, default="")
    feedback_b: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    participant_a: Mapped[Participant | None] = relationship(foreign_keys=[participant_a_id])
    participant_b: Mapped[Participant | None] = relationship(foreign_keys=[participant_b_id])

    def involves(self, participant_id: int) -> bool:
        return participant_id in (self.participant_a_id, self.participant_b_id)

    def partner_of(self, participant_id: int) -> Participant | None:
        """The other side of the meeting; None when that person was erased."""
        return self.participant_b if self.participant_a_id == participant_id else self.participant_a

    def pair_ids(self) -> tuple[int, int]:
        """Both participants' ids, for readers of live meetings: an erasure cancels the
        meetings it empties, and a cancelled meeting never becomes live again."""
        if self.participant_a_id is None or self.participant_b_id is None:
            raise ValueError(f"meeting {self.id} lost a participant to an erasure")
        return self.participant_a_id, self.participant_b_id

    def pair(self) -> tuple[Participant, Participant]:
        """Both participants (see ``pair_ids``)."""
        if self.participant_a is None or self.participant_b is None:
            raise ValueError(f"meeting {self.id} lost a participant to an erasure")
        return self.participant_a, self.participant_b

    def live_partner_of(self, participant_id: int) -> Participant:
        """The other side of a live meeting (see ``pair_ids``)."""
        a, b = self.pair()
        return b if a.id == participant_id else a

    @property
    def is_orphaned(self) -> bool:
        """One side was erased (the meeting is then cancelled)."""
        return self.participant_a_id is None or self.participant_b_id is None
