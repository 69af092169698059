"""Queries per request do not grow with the rows listed (no N+1), issue 17."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from api.accounts.participant_sessions import open_session
from api.extensions import db
from api.models import Event, Meeting, MeetingPlacement, MeetingSeat, Participant
from api.registration.operations import register_participant
from tests.api.conftest import Caller, participant_payload
from tests.api.published_event import PublishedEvent, published_event, solve_and_publish


@contextmanager
def _counting() -> Iterator[list[str]]:
    statements: list[str] = []
    # Only this thread's: background mail may write from its own thread meanwhile.
    me = threading.get_ident()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() == me:
            statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)


def _queries(client: FlaskClient, url: str, headers: dict[str, str]) -> int:
    with _counting() as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json
    return len(statements)


def _grow(make: Callable[[], None], times: int) -> None:
    for _ in range(times):
        make()


def test_listing_participants_takes_no_more_queries_for_3_or_12(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    url = f"/api/v1/events/{event['id']}/participants"
    _grow(participant_factory, 3)
    few = _queries(client, url, organiser.headers)
    _grow(participant_factory, 9)
    assert _queries(client, url, organiser.headers) <= few


def test_listing_meeting_requests_takes_no_more_queries_for_3_or_12(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    url = f"/api/v1/events/{event['id']}/meeting-requests"
    alice = participant_factory()

    def ask_and_accept() -> None:
        bob = participant_factory()
        asked = client.post(url, json={"invitee_id": bob.id}, headers=alice.headers)
        assert asked.status_code == 201, asked.json
        accepted = client.post(f"{url}/{asked.json['id']}/accept", headers=bob.headers)
        assert accepted.status_code == 200

    _grow(ask_and_accept, 3)
    few = _queries(client, url, organiser.headers)
    _grow(ask_and_accept, 9)
    assert _queries(client, url, organiser.headers) <= few


def _busiest(version_id: int) -> int:
    """The participant with the most placed meetings in the version."""
    seats = Counter(
        db.session.scalars(
            select(MeetingSeat.participant_id).where(MeetingSeat.version_id == version_id)
        )
    )
    return seats.most_common(1)[0][0]


def _placed(version_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(MeetingPlacement)
            .where(MeetingPlacement.version_id == version_id)
        )
        or 0
    )


def _more_meetings_published(demo: PublishedEvent) -> int:
    """Twice the participants, and every pair from different organisations meets;
    published again."""
    event = db.session.get(Event, demo.event_id)
    assert event is not None
    for _ in range(len(demo.participant_ids)):
        register_participant(event, participant_payload(), by_organiser=True)
    people = list(
        db.session.scalars(select(Participant).where(Participant.event_id == demo.event_id))
    )
    taken = {
        frozenset(pair)
        for pair in db.session.execute(
            select(Meeting.participant_a_id, Meeting.participant_b_id).where(
                Meeting.event_id == demo.event_id
            )
        )
    }
    for a in people:
        for b in people:
            is_new = frozenset((a.id, b.id)) not in taken
            if a.id < b.id and a.organisation_id != b.organisation_id and is_new:
                db.session.add(
                    Meeting(
                        event_id=demo.event_id,
                        participant_a_id=a.id,
                        participant_b_id=b.id,
                        status="accepted",
                    )
                )
    db.session.commit()
    return solve_and_publish(event)


READS = [
    "/schedules/{version}/meetings",
    "/meetings",
    "/meetings?status=scheduled",
    "/participants/{busiest}/schedule",
    "/participants/{busiest}/agenda.ics",
    "/stats",
]


def test_schedule_reads_take_no_more_queries_for_a_larger_schedule(
    app: Any, client: FlaskClient
) -> None:
    demo = published_event(participants=12, meetings_each=1)
    headers = {"Authorization": f"Bearer {demo.organiser_key}"}

    def counts(version_id: int) -> list[int]:
        busiest = _busiest(version_id)
        return [
            _queries(
                client,
                f"/api/v1/events/{demo.event_id}"
                + path.format(version=version_id, busiest=busiest),
                headers,
            )
            for path in READS
        ]

    few = counts(demo.version_id)
    small = _placed(demo.version_id)
    version_id = _more_meetings_published(demo)
    assert _placed(version_id) >= 3 * small
    many = counts(version_id)
    grown = [(path, f, m) for path, f, m in zip(READS, few, many, strict=True) if m > f]
    assert grown == []


def test_the_participants_own_schedule_takes_no_more_queries_for_more_meetings(
    app: Any, client: FlaskClient
) -> None:
    demo = published_event(participants=12, meetings_each=1)

    def count(version_id: int) -> tuple[int, int]:
        me = db.session.get(Participant, _busiest(version_id))
        assert me is not None
        _, token = open_session(me, "test")
        db.session.commit()
        url = f"/api/v1/events/{demo.event_id}/participants/{me.id}/schedule"
        seats = db.session.scalar(
            select(func.count())
            .select_from(MeetingSeat)
            .where(MeetingSeat.version_id == version_id, MeetingSeat.participant_id == me.id)
        )
        return _queries(client, url, {"Authorization": f"Bearer {token}"}), int(seats or 0)

    few, few_meetings = count(demo.version_id)
    many, many_meetings = count(_more_meetings_published(demo))
    assert many_meetings > few_meetings
    assert many <= few, (few, many)
