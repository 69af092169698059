from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.enums import SignUpKind, values
from api.models.types import UTCDateTime, now_utc

SIGNUP_KINDS = values(SignUpKind)


class SignUp(db.Model):  # type: ignore[name-defined,misc]
    """A participant attending (blocks their meeting slots) or interested in a session."""

    __tablename__ = "signups"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="attend")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
