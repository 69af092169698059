"""Meeting slots derived from an event's meeting blocks and meeting length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

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
