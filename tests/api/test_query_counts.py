"""Queries per request do not grow with the rows listed (no N+1), issue 17."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event as sa_event

from api.extensions import db
from tests.api.conftest import Caller


@contextmanager
def _counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
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
