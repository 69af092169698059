from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.organisers import Organiser


class KeyScope(StrEnum):
    READ = "read"  # safe methods only, whatever the person's roles allow
    FULL = "full"  # everything the person's roles allow


class ApiKey(db.Model):  # type: ignore[name-defined,misc]
    """A named API key of one organiser person; only a hash of the secret is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(
        ForeignKey("organisers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10), default=KeyScope.FULL.value)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, shown in listings so a person can tell keys apart.
    key_prefix: Mapped[str] = mapped_column(String(16))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set on the key a rotation replaced, pointing at its successor.
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_keys.id", ondelete="SET NULL")
    )

    organiser: Mapped[Organiser] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_dt is None

    @property
    def is_read_only(self) -> bool:
        return self.scope == KeyScope.READ
