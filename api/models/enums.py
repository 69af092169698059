"""Statuses and kinds stored in the database and sent as JSON.

``StrEnum`` members are ``str``: the stored values and the JSON stay the strings they
were, ``status == "pending"`` still holds, and ``OneOf`` validators take them as they are.
The ``*_STATUSES`` / ``*_KINDS`` tuples beside the models are these values, in order.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    MATCHMAKING = "matchmaking"
    CONFERENCE = "conference"
    HYBRID = "hybrid"
    ONLINE_TALK = "online_talk"


class OrganisationType(StrEnum):
    SME = "sme"
    LARGE_COMPANY = "large_company"
    CLUSTER_ORGANISATION = "cluster_organisation"
    RESEARCH = "research"
    UNIVERSITY = "university"
    PUBLIC_AUTHORITY = "public_authority"
    INVESTOR = "investor"
    OTHER = "other"


class Attendance(StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"


class OnlinePolicy(StrEnum):
    """When a meeting is held online rather than at a table."""

    EITHER_ONLINE = "either_online"
    ALL_ONLINE = "all_online"
    ON_SITE_ONLY = "on_site_only"


class MembershipStatus(StrEnum):
    """A participant's link to their organisation: joining an existing one needs approval."""

    APPROVED = "approved"
    PENDING = "pending"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class RequestOrigin(StrEnum):
    PARTICIPANT = "participant"
    ORGANISER = "organiser"
    AUTO_MATCH = "auto_match"


class MeetingStatus(StrEnum):
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    HELD = "held"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class JobKind(StrEnum):
    MEETINGS = "meetings"
    AGENDA = "agenda"
    AUTOMATCH = "automatch"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ScheduleKind(StrEnum):
    MEETINGS = "meetings"
    AGENDA = "agenda"


class ScheduleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    DISCARDED = "discarded"


class OpportunityKind(StrEnum):
    OFFER = "offer"
    REQUEST = "request"
    COOPERATION = "cooperation"
    INVESTMENT = "investment"
    PARTNER_SEARCH = "partner_search"


class SessionKind(StrEnum):
    PLENARY = "plenary"
    KEYNOTE = "keynote"
    PANEL = "panel"
    WORKSHOP = "workshop"
    PARALLEL = "parallel"
    PITCHING = "pitching"
    SITE_VISIT = "site_visit"
    MATCHMAKING_BLOCK = "matchmaking_block"


class SpeakerRole(StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    PANELLIST = "panellist"


class SignUpKind(StrEnum):
    ATTEND = "attend"
    INTEREST = "interest"


class TagKind(StrEnum):
    THEME = "theme"
    SECTOR = "sector"
    TECHNOLOGY = "technology"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookKind(StrEnum):
    MEETING_REQUESTED = "meeting.requested"
    MEETING_ACCEPTED = "meeting.accepted"
    MEETING_DECLINED = "meeting.declined"
    MEETING_SCHEDULED = "meeting.scheduled"
    MEETING_MOVED = "meeting.moved"
    MEETING_CANCELLED = "meeting.cancelled"
    MEETING_HELD = "meeting.held"
    MEETING_NO_SHOW = "meeting.no_show"
    SCHEDULE_PUBLISHED = "schedule.published"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The enum's values in order, as plain strings (for tuples, OneOf and OpenAPI)."""
    return tuple(member.value for member in enum)


class NotificationKind(StrEnum):
    SIGN_IN = "sign_in"
    REGISTRATION = "registration"
    ALREADY_REGISTERED = "already_registered"
    REQUEST_RECEIVED = "request_received"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_EXPIRING = "request_expiring"
    SCHEDULE_PUBLISHED = "schedule_published"
    MEETING_CHANGED = "meeting_changed"
    REMINDER = "reminder"
    MEMBER_INVITED = "member_invited"


# A sign-in link is mail the person asked for this minute (so is "already registered",
# which carries one), and an invitation goes to an organiser, not a participant: none
# can be muted. Everything else can.
OPTIONAL_KINDS: frozenset[NotificationKind] = frozenset(
    {
        NotificationKind.REGISTRATION,
        NotificationKind.REQUEST_RECEIVED,
        NotificationKind.REQUEST_ANSWERED,
        NotificationKind.REQUEST_EXPIRING,
        NotificationKind.SCHEDULE_PUBLISHED,
        NotificationKind.MEETING_CHANGED,
        NotificationKind.REMINDER,
    }
)
