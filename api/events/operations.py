"""Creating and changing events from validated schema data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from api.exceptions import Conflict
from api.extensions import db
from api.models import Event, EventMember, MeetingBlock, Organiser
from api.models.event_members import MemberRole

_SETTINGS_COLUMNS = (
    "meeting_length_min",
    "max_meetings_per_participant",
    "max_open_requests",
    "request_expiry_hours",
    "is_online_allowed",
    "is_auto_accept",
    "fairness",
    "online_policy",
    "video_link_template",
    "virtual_rooms",
)
_EVENT_COLUMNS = (
    "slug",
    "name",
    "kind",
    "venue",
    "description",
    "timezone",
    "start_date",
    "end_date",
    "registration_opens_dt",
    "registration_closes_dt",
    "request_deadline_dt",
)


def create_event(organiser: Organiser, data: dict[str, Any]) -> Event:
    """A new event; the person who creates it is its first owner."""
    event = Event(organiser_id=organiser.id)
    apply_event_data(event, data)
    db.session.add(event)
    db.session.flush()
    db.session.add(
        EventMember(event_id=event.id, organiser_id=organiser.id, role=MemberRole.OWNER.value)
    )
    db.session.flush()
    return event


def apply_event_data(event: Event, data: dict[str, Any]) -> None:
    slug = data["slug"]
    clash = db.session.scalar(select(Event.id).where(Event.slug == slug, Event.id != event.id))
    if clash is not None:
        raise Conflict(f"The slug {slug!r} is taken by another event")
    for column in _EVENT_COLUMNS:
        setattr(event, column, data[column])
    settings = data["meeting_settings"]
    for column in _SETTINGS_COLUMNS:
        setattr(event, column, settings[column])
    event.meeting_blocks = [MeetingBlock(**block) for block in settings["blocks"]]
    event.rules = dict(data["rules"])
    event.programme_settings = dict(data["programme_settings"])
