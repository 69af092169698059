from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.participants import Participant


class ParticipantSession(db.Model):  # type: ignore[name-defined,misc]
    """One signed-in device of a participant: a bearer token, stored only as a hash.

    Registration and every sign-in link open one; signing out revokes one, "sign out
    everywhere" revokes them all, rotation replaces one by a fresh token.
    """

    __tablename__ = "participant_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # How it was opened: "registration", "sign-in link", "rotation".
    origin: Mapped[str] = mapped_column(String(20), default="registration")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant: Mapped[Participant] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_dt is None
