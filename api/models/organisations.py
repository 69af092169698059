from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.enums import OrganisationType, values
from api.models.tags import organisation_tags

if TYPE_CHECKING:
    from api.models.tags import Tag

ORGANISATION_TYPES = values(OrganisationType)
ORGANISATION_SIZES = ("micro", "small", "medium", "large")


class Organisation(db.Model):  # type: ignore[name-defined,misc]
    """An organisation taking part in one event; several participants may represent it."""

    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[str | None] = mapped_column(String(10))
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    tags: Mapped[list[Tag]] = relationship(secondary=organisation_tags)
