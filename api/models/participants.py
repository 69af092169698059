from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.extensions import db
from api.models.enums import Attendance, MembershipStatus, values
from api.models.tags import participant_tags
from api.models.types import UTCDateTime, now_utc

if TYPE_CHECKING:
    from api.models.availability_windows import AvailabilityWindow
    from api.models.organisations import Organisation
    from api.models.tags import Tag

ATTENDANCE_MODES = values(Attendance)
DEFAULT_WORKING_HOURS = (time(9, 0), time(18, 0))


class Participant(db.Model):  # type: ignore[name-defined,misc]
    """A person representing an organisation at one event."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Stored lower-cased so the unique constraint also catches case variants.
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(120), default="")
    attendance: Mapped[str] = mapped_column(String(10), default=Attendance.ON_SITE.value)
    timezone: Mapped[str | None] = mapped_column(String(64))
    # Working hours in the participant's own zone: both solvers keep meetings (and a
    # speaker's sessions) inside them.
    working_hours_start: Mapped[time] = mapped_column(Time, default=DEFAULT_WORKING_HOURS[0])
    working_hours_end: Mapped[time] = mapped_column(Time, default=DEFAULT_WORKING_HOURS[1])
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    group: Mapped[str] = mapped_column(String(40), default="")
    # Pending until a colleague or the organiser approves (issue 17.2): a pending member
    # neither edits the organisation nor asks for meetings under its name.
    membership: Mapped[str] = mapped_column(
        String(10), default=MembershipStatus.APPROVED.value, server_default="approved"
    )
    description: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    consent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language of the mail and pages this person gets (a code of api.i18n.LANGUAGES).
    language: Mapped[str] = mapped_column(String(8), default="en")
    # Notification kinds this person turned off (api.notifications.kinds).
    muted_notifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    # selectin: a page of participants loads its organisations and interests in one
    # query each, not one per row (query counts are tested).
    organisation: Mapped[Organisation] = relationship(lazy="selectin")
    interests: Mapped[list[Tag]] = relationship(secondary=participant_tags, lazy="selectin")
    availability: Mapped[list[AvailabilityWindow]] = relationship(
        cascade="all, delete-orphan", order_by="AvailabilityWindow.start_dt"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def zone_name(self, event_timezone: str) -> str:
        """The participant's IANA zone, or the event's when they gave none."""
        return self.timezone or event_timezone

    @property
    def is_online(self) -> bool:
        return self.attendance == Attendance.ONLINE.value

    @property
    def is_membership_pending(self) -> bool:
        return self.membership == MembershipStatus.PENDING

    def can_edit(self, participant: Participant | None) -> bool:
        return participant is not None and participant.id == self.id
