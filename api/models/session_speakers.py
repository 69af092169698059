from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.enums import SpeakerRole, values

SPEAKER_ROLES = values(SpeakerRole)


class SessionSpeaker(db.Model):  # type: ignore[name-defined,misc]
    """A speaker, moderator or panellist of a session, usually a registered participant."""

    __tablename__ = "session_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="speaker")
