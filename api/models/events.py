from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.enums import EventKind, OnlinePolicy, values
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.event_members import Permission
    from api.models.meeting_blocks import MeetingBlock
    from api.models.organisers import Organiser

EVENT_KINDS = values(EventKind)


class Event(db.Model):  # type: ignore[name-defined,misc]
    """A cluster event with its meeting settings and matchmaking rules."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organisers.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="matchmaking")
    venue: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    registration_opens_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    request_deadline_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Meeting settings.
    meeting_length_min: Mapped[int] = mapped_column(Integer, default=30)
    max_meetings_per_participant: Mapped[int | None] = mapped_column(Integer)
    max_open_requests: Mapped[int | None] = mapped_column(Integer)
    request_expiry_hours: Mapped[int | None] = mapped_column(Integer)
    is_online_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    is_auto_accept: Mapped[bool] = mapped_column(Boolean, default=False)
    fairness: Mapped[int | None] = mapped_column(Integer, default=2)
    # Online meetings (issue 12): when a meeting is online, and where its video link comes
    # from (a template with {meeting_secret}, or the organiser's own virtual rooms).
    online_policy: Mapped[str] = mapped_column(String(20), default=OnlinePolicy.EITHER_ONLINE.value)
    video_link_template: Mapped[str | None] = mapped_column(String(300))
    virtual_rooms: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # The agenda's time grid: {day_start, day_end, breaks: [{start, end}]}; empty: defaults.
    programme_settings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Matchmaking rules: cross_border_only, allowed_type_pairs, allowed_group_pairs.
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    organiser: Mapped[Organiser] = relationship()
    meeting_blocks: Mapped[list[MeetingBlock]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(MeetingBlock.day, MeetingBlock.start_time)",
    )

    @property
    def meeting_settings(self) -> dict[str, Any]:
        return {
            "meeting_length_min": self.meeting_length_min,
            "blocks": self.meeting_blocks,
            "max_meetings_per_participant": self.max_meetings_per_participant,
            "max_open_requests": self.max_open_requests,
            "request_expiry_hours": self.request_expiry_hours,
            "is_online_allowed": self.is_online_allowed,
            "is_auto_accept": self.is_auto_accept,
            "fairness": self.fairness,
            "online_policy": self.online_policy,
            "video_link_template": self.video_link_template,
            "virtual_rooms": self.virtual_rooms or [],
        }

    def can_manage(self, organiser: Organiser | None) -> bool:
        """Whether the person is one of the event's organisers (any role)."""
        return self.role_of(organiser) is not None

    def role_of(self, organiser: Organiser | None) -> str | None:
        from api.models.event_members import EventMember

        if organiser is None:
            return None
        role: str | None = db.session.scalar(
            db.select(EventMember.role).where(
                EventMember.event_id == self.id, EventMember.organiser_id == organiser.id
            )
        )
        return role

    def permits(self, organiser: Organiser | None, permission: Permission) -> bool:
        """Whether the person's role on this event allows ``permission``."""
        from api.models.event_members import ROLE_PERMISSIONS, MemberRole

        role = self.role_of(organiser)
        return role is not None and permission in ROLE_PERMISSIONS[MemberRole(role)]

    def is_registration_open(self, at: datetime | None = None) -> bool:
        at = at or now_utc()
        if self.registration_opens_dt and at < self.registration_opens_dt:
            return False
        return not (self.registration_closes_dt and at > self.registration_closes_dt)
