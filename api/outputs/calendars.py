"""A participant's calendar (.ics) from the database: the feed, the API and the mail
attachment all use this one function."""

from __future__ import annotations

from api.models import Event, Participant
from api.models.enums import ScheduleKind
from api.outputs.ical import personal_calendar
from api.schedules.operations import published_version
from api.schedules.read_models import cancelled_meetings, personal_schedule


def participant_calendar(event: Event, participant: Participant) -> bytes:
    """Published meetings and sessions, plus meetings cancelled since (STATUS:CANCELLED).

    SEQUENCE is the published version's number, DTSTAMP its publication time, so two
    exports of the same state are byte-identical and a new version replaces the old.
    """
    schedule = personal_schedule(event, participant)
    schedule["items"] = [*schedule["items"], *cancelled_meetings(event, participant)]
    versions = {kind: published_version(event, kind) for kind in ScheduleKind}
    meetings, agenda = versions[ScheduleKind.MEETINGS], versions[ScheduleKind.AGENDA]
    sequences = {
        "meeting": meetings.number if meetings else 0,
        "session": agenda.number if agenda else 0,
    }
    published = [v.published_dt for v in versions.values() if v and v.published_dt]
    return personal_calendar(
        schedule,
        event_name=event.name,
        event_slug=event.slug,
        sequences=sequences,
        stamp=max(published) if published else event.created_dt,
    )
