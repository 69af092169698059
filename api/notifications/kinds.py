"""The kinds of mail, and which of them a participant can turn off."""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    SIGN_IN = "sign_in"
    REGISTRATION = "registration"
    REQUEST_RECEIVED = "request_received"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_EXPIRING = "request_expiring"
    SCHEDULE_PUBLISHED = "schedule_published"
    MEETING_CHANGED = "meeting_changed"
    REMINDER = "reminder"
    MEMBER_INVITED = "member_invited"


# A sign-in link is mail the person asked for this minute, and an invitation goes to an
# organiser, not a participant: neither can be muted. Everything else can.
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
