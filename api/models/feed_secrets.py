from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.types import UTCDateTime, now_utc


class FeedScope(StrEnum):
    PARTICIPANT = "participant"  # one participant's calendar feed and printable agenda
    EVENT = "event"  # the organisers' printable pages of one event (tables, people)


class FeedSecret(db.Model):  # type: ignore[name-defined,misc]
    """A read-only, revocable secret for links that travel (calendar apps, printers).

    It opens feeds and printable pages and nothing else: the API refuses it as a bearer
    token. The secret is derived from the app's secret key and ``salt``, so its owner
    can see the link again, and a copy of the database alone does not reveal it; lookups
    go through ``secret_hash``.
    """

    __tablename__ = "feed_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(12))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisers.id", ondelete="SET NULL")
    )
    salt: Mapped[str] = mapped_column(String(43))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.revoked_dt is None
