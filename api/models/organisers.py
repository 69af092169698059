from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.types import UTCDateTime, now_utc


class Organiser(db.Model):  # type: ignore[name-defined,misc]
    """An organiser account; its API key is stored only as a hash."""

    __tablename__ = "organisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
