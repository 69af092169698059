from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.types import UTCDateTime, now_utc


class Organiser(db.Model):  # type: ignore[name-defined,misc]
    """An organiser person; API keys (``ApiKey``) and event roles (``EventMember``) are theirs."""

    __tablename__ = "organisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased; accounts made before e-mail existed have none.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("organiser_teams.id", ondelete="SET NULL"), index=True
    )
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
