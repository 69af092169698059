"""A participant's personal agenda as an iCalendar feed (RFC 5545).

Times are written in the participant's time zone (or the event's) with its VTIMEZONE,
so calendar apps show them right whatever zone the device is in. UIDs are stable
(``meeting-<id>@<event slug>.clustermeet``), and SEQUENCE is the number of the published
schedule version, so a subscribed calendar replaces a moved meeting instead of adding it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent

PRODID = "-//clustermeet//personal agenda//EN"


def item_uid(item: Mapping[str, Any], event_slug: str) -> str:
    if item["kind"] == "meeting":
        return f"meeting-{item['meeting_id']}@{event_slug}.clustermeet"
    return f"session-{item['session_id']}@{event_slug}.clustermeet"


def _is_link(where: str) -> bool:
    return where.startswith(("https://", "http://"))


def _description(item: Mapping[str, Any]) -> str:
    lines = []
    partner = item.get("partner")
    if partner:
        lines.append(f"With {partner['name']}, {partner['organisation']} ({partner['country']})")
    where = item.get("where") or ""
    if _is_link(where):
        lines.append(f"Video link: {where}")
    elif where:
        lines.append(("Table: " if item["kind"] == "meeting" else "Room: ") + where)
    return "\n".join(lines)


def personal_calendar(
    schedule: Mapping[str, Any],
    *,
    event_name: str,
    event_slug: str,
    sequences: Mapping[str, int] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The calendar of a personal schedule (``schedule_views.personal_schedule``).

    ``sequences`` maps an item kind (meeting, session) to its SEQUENCE; ``stamp`` is the
    DTSTAMP of every event (the latest publication, so two exports are byte-identical).
    """
    zone = ZoneInfo(schedule["timezone"])
    sequences = sequences or {}
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{event_name}: my agenda")
    calendar.add("x-wr-timezone", schedule["timezone"])
    items = list(schedule["items"])
    for item in items:
        vevent = VEvent()
        vevent.add("uid", item_uid(item, event_slug))
        vevent.add("dtstamp", stamp)
        is_cancelled = item.get("status") == "cancelled"
        # A cancellation after publication must outrank the published copy (RFC 5546).
        vevent.add("sequence", sequences.get(item["kind"], 0) + (1 if is_cancelled else 0))
        vevent.add("dtstart", item["start_dt"].astimezone(zone))
        vevent.add("dtend", item["end_dt"].astimezone(zone))
        vevent.add("summary", item["title"])
        where = item.get("where") or ""
        if _is_link(where):
            # Calendar apps make a link in LOCATION clickable; URL is the standard field.
            vevent.add("location", f"Online: {where}")
            vevent.add("url", where)
        elif where:
            vevent.add("location", where)
        description = _description(item)
        if description:
            vevent.add("description", description)
        vevent.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
        vevent.add("transp", "TRANSPARENT" if is_cancelled else "OPAQUE")
        vevent.add("categories", ["Meeting" if item["kind"] == "meeting" else "Session"])
        calendar.add_component(vevent)
    if items:
        first = min(item["start_dt"] for item in items).astimezone(zone).date()
        last = max(item["end_dt"] for item in items).astimezone(zone).date()
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return calendar.to_ical()  # type: ignore[no-any-return]
