"""The kinds of mail, and which of them a participant can turn off (defined with the
other enums in ``api.models.enums``, so that schemas of every feature can use them)."""

from api.models.enums import OPTIONAL_KINDS, NotificationKind

__all__ = ["OPTIONAL_KINDS", "NotificationKind"]
