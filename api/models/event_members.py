from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.organisers import Organiser


class MemberRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    VIEWER = "viewer"
    CHECKIN = "checkin"


class Permission(StrEnum):
    """What a member may do to an event; routes ask for one of these."""

    READ = "read"  # see everything organisers see: participants, drafts, stats
    ATTENDANCE = "attendance"  # mark meetings held / no-show at the check-in desk
    MANAGE = "manage"  # change the event, its participants, programme, run solves
    PUBLISH = "publish"  # publish a schedule version
    ADMIN = "admin"  # members, webhooks, deleting the event


ROLE_PERMISSIONS: dict[MemberRole, frozenset[Permission]] = {
    MemberRole.OWNER: frozenset(Permission),
    MemberRole.MANAGER: frozenset(
        {Permission.READ, Permission.ATTENDANCE, Permission.MANAGE, Permission.PUBLISH}
    ),
    MemberRole.VIEWER: frozenset({Permission.READ}),
    # The desk looks people up and marks attendance; it changes nothing else.
    MemberRole.CHECKIN: frozenset({Permission.READ, Permission.ATTENDANCE}),
}


class EventMember(db.Model):  # type: ignore[name-defined,misc]
    """An organiser person's role on one event."""

    __tablename__ = "event_members"
    __table_args__ = (UniqueConstraint("event_id", "organiser_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organiser_id: Mapped[int] = mapped_column(
        ForeignKey("organisers.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10), default=MemberRole.VIEWER.value)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisers.id", ondelete="SET NULL")
    )
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    organiser: Mapped[Organiser] = relationship(foreign_keys=[organiser_id])

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[MemberRole(self.role)]

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions
