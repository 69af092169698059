from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.extensions import db
from api.models.enums import WebhookKind, values
from api.models.types import UTCDateTime, now_utc

WEBHOOK_KINDS = values(WebhookKind)


class Webhook(db.Model):  # type: ignore[name-defined,misc]
    """A URL an organiser registered to hear about an event's changes.

    The secret is kept in clear because every delivery is signed with it; it is shown to
    the organiser once, when the webhook is created.
    """

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    def wants(self, kind: str) -> bool:
        return self.is_active and (not self.kinds or kind in self.kinds)
