"""Meeting slots derived from an event's meeting blocks and meeting length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from api.exceptions import InvalidInput
from api.models import Event


@dataclass(frozen=True)
class Slot:
    index: int
    start_dt: datetime
    end_dt: datetime
    block: int


def event_slots(event: Event) -> list[Slot]:
    zone = ZoneInfo(event.timezone)
    length = timedelta(minutes=event.meeting_length_min)
    slots: list[Slot] = []
    for block_index, block in enumerate(event.meeting_blocks):
        start = datetime.combine(block.day, block.start_time, tzinfo=zone)
        end = datetime.combine(block.day, block.end_time, tzinfo=zone)
        while start + length <= end:
            slots.append(Slot(len(slots), start, start + length, block_index))
            start += length
    return slots


def event_bounds(event: Event) -> tuple[datetime, datetime]:
    """The first and last instant of the event's days in its time zone."""
    zone = ZoneInfo(event.timezone)
    start = datetime.combine(event.start_date, time.min, tzinfo=zone)
    end = datetime.combine(event.end_date + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def check_windows_in_event(event: Event, windows: list[dict[str, datetime]]) -> None:
    start, end = event_bounds(event)
    problems = [
        f"Window {i} is outside the event's days."
        for i, window in enumerate(windows)
        if window["start_dt"] < start or window["end_dt"] > end
    ]
    if problems:
        raise InvalidInput({"windows": problems})
