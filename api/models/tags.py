from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.enums import TagKind, values

TAG_KINDS = values(TagKind)


class Tag(db.Model):  # type: ignore[name-defined,misc]
    """A term of the event's taxonomy (themes, sectors, technologies)."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="theme")


def _link_table(name: str, owner: str, owner_table: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column(
            f"{owner}_id", ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True
        ),
        Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    )


participant_tags = _link_table("participant_tags", "participant", "participants")
organisation_tags = _link_table("organisation_tags", "organisation", "organisations")
opportunity_tags = _link_table("opportunity_tags", "opportunity", "opportunities")
