"""Working hours: each participant's day in their own time zone (default 09:00-18:00).

Both solvers keep a person's meetings, and the sessions they speak at, inside them; an
online participant in Taipei is not booked at 21:00 their time for a morning in Berlin.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from api.models import Participant


def within_working_hours(
    participant: Participant, event_timezone: str, start: datetime, end: datetime
) -> bool:
    """Whether [start, end) lies inside one of the participant's working days."""
    zone = ZoneInfo(participant.zone_name(event_timezone))
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day_start = datetime.combine(local_start.date(), participant.working_hours_start, zone)
    day_end = datetime.combine(local_start.date(), participant.working_hours_end, zone)
    return day_start <= local_start and local_end <= day_end
