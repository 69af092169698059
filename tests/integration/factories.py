"""A matchmaking event with accepted meetings, written straight into the database.

The meeting solver needs a few seconds on the larger ones, so jobs can be watched,
cancelled and killed mid-solve. Used by the integration tests and the embedded-mode API
tests; the benchmark builds the same events.
"""

from __future__ import annotations

from api.accounts.auth import create_organiser
from api.cli.jobs_bench import create_meeting_event
from api.extensions import db


def meeting_event(
    *,
    participants: int = 60,
    meetings_each: int = 5,
    tables: int = 12,
    seed: int = 7,
    organiser_id: int | None = None,
) -> tuple[int, str]:
    """Create the event (and an organiser unless given); returns its id and the API key."""
    key = ""
    if organiser_id is None:
        organiser, key = create_organiser("Jobs organiser")
        db.session.commit()
        organiser_id = organiser.id
    event_id = create_meeting_event(
        organiser_id,
        participants=participants,
        meetings_each=meetings_each,
        tables=tables,
        seed=seed,
    )
    return event_id, key
