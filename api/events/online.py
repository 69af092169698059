"""Online meetings: which meetings are held online, and their video links.

A meeting is online by the event's ``online_policy``: ``either_online`` (the default)
when either side attends online, ``all_online`` always, ``on_site_only`` never. An
organiser may also mark a single meeting online (``Meeting.is_online``) unless the event
is on site only or does not allow online meetings.

Links: the organiser's virtual rooms first (one online meeting per room and slot), then
the event's ``video_link_template``, then the server-wide ``MEETING_LINK_TEMPLATE``. A
template may use ``{meeting_secret}``: an HMAC of the meeting under the server's secret
key, so a link cannot be guessed from the event and meeting ids, and stays the same when
the schedule is solved again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from api.models import Event, Meeting, MeetingPlacement, Participant
from api.models.enums import OnlinePolicy


def is_online_meeting(event: Event, a: Participant, b: Participant, flagged: bool) -> bool:
    if not event.is_online_allowed or event.online_policy == OnlinePolicy.ON_SITE_ONLY:
        return False
    if event.online_policy == OnlinePolicy.ALL_ONLINE:
        return True
    return flagged or a.is_online or b.is_online


def shown_online(event: Event, meeting: Meeting, placement: MeetingPlacement | None) -> bool:
    """Whether read models call a meeting online: placed without a table, or (not placed
    yet) what the next solve would decide."""
    if placement is not None:
        return placement.table_id is None
    if meeting.is_orphaned:  # cancelled by an erasure: nobody to ask any more
        return meeting.is_online
    return is_online_meeting(event, *meeting.pair(), meeting.is_online)


def meeting_secret(secret_key: str, event_id: int, meeting_id: int) -> str:
    """20 unguessable characters for one meeting (lower-case base32, URL-safe)."""
    digest = hmac.new(
        secret_key.encode(), f"meeting-link:{event_id}:{meeting_id}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest).decode().lower().rstrip("=")[:20]


def templated_link(template: str, event: Event, meeting_id: int, secret_key: str) -> str:
    return template.format(
        event_slug=event.slug,
        event_id=event.id,
        meeting_id=meeting_id,
        meeting_secret=meeting_secret(secret_key, event.id, meeting_id),
    )


class LinkAllocator:
    """Hands out video links slot by slot: virtual rooms first, then a template."""

    def __init__(self, event: Event, secret_key: str, fallback_template: str | None) -> None:
        self._event = event
        self._secret_key = secret_key
        self._rooms = [room["url"] for room in event.virtual_rooms or []]
        self._template = event.video_link_template or fallback_template
        self._used: dict[int, int] = {}

    def link(self, slot: int, meeting_id: int) -> str | None:
        taken = self._used.get(slot, 0)
        if taken < len(self._rooms):
            self._used[slot] = taken + 1
            return self._rooms[taken]
        if self._template:
            return templated_link(self._template, self._event, meeting_id, self._secret_key)
        return None
