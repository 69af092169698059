from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.types import UTCDateTime, now_utc


class OrganiserTeam(db.Model):  # type: ignore[name-defined,misc]
    """The people of one organising body (a cluster, an agency); events belong to members."""

    __tablename__ = "organiser_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
