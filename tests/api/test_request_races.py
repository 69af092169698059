"""Concurrent answers to one request on PostgreSQL: exactly one outcome, one meeting."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from api.extensions import db
from api.models import Meeting, MeetingRequest
from tests.api.conftest import Caller
from tests.conftest import make_app

ROUNDS = 5
THREADS = 8


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """PostgreSQL only: SQLite serialises writers, so it cannot show a lost race."""
    yield from make_app(request, "postgres", tmp_path)


def _hammer(app: Flask, calls: list[tuple[str, dict[str, str]]]) -> list[int]:
    """Send the calls at once from separate threads, each with its own client."""
    barrier = threading.Barrier(len(calls))
    codes: list[int] = [0] * len(calls)

    def send(number: int, url: str, headers: dict[str, str]) -> None:
        client = app.test_client()
        barrier.wait()
        codes[number] = client.post(url, headers=headers).status_code

    threads = [
        threading.Thread(target=send, args=(n, url, headers))
        for n, (url, headers) in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def _new_request(client: Any, event: dict[str, Any], alice: Caller, bob: Caller) -> int:
    response = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests",
        json={"invitee_id": bob.id},
        headers=alice.headers,
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_concurrent_accepts_and_declines_leave_one_outcome(
    app: Flask, client: Any, event: dict[str, Any], participant_factory: Any
) -> None:
    alice, bob = participant_factory(), participant_factory()
    base = f"/api/v1/events/{event['id']}/meeting-requests"
    for _ in range(ROUNDS):
        request_id = _new_request(client, event, alice, bob)
        actions = ["accept", "decline"] * (THREADS // 2)
        codes = _hammer(app, [(f"{base}/{request_id}/{a}", bob.headers) for a in actions])
        assert codes.count(200) == 1, codes
        assert codes.count(409) == THREADS - 1, codes
        db.session.expire_all()
        stored = db.session.get(MeetingRequest, request_id)
        assert stored is not None and stored.status in ("accepted", "declined")
        assert stored.version == 2
        meetings = db.session.scalar(
            select(func.count()).select_from(Meeting).where(Meeting.request_id == request_id)
        )
        assert meetings == (1 if stored.status == "accepted" else 0)
        if stored.status == "accepted":
            cancel = client.post(f"{base}/{request_id}/cancel", headers=alice.headers)
            assert cancel.status_code == 200
        else:
            # A decline blocks the pair; a fresh pair keeps the rounds independent.
            alice, bob = participant_factory(), participant_factory()


def test_accept_racing_cancel_never_leaves_a_live_meeting_for_a_cancelled_request(
    app: Flask, client: Any, event: dict[str, Any], participant_factory: Any
) -> None:
    alice, bob = participant_factory(), participant_factory()
    base = f"/api/v1/events/{event['id']}/meeting-requests"
    for _ in range(ROUNDS):
        request_id = _new_request(client, event, alice, bob)
        codes = _hammer(
            app,
            [
                (f"{base}/{request_id}/accept", bob.headers),
                (f"{base}/{request_id}/cancel", alice.headers),
            ],
        )
        assert 200 in codes, codes
        db.session.expire_all()
        stored = db.session.get(MeetingRequest, request_id)
        assert stored is not None
        live = db.session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(Meeting.request_id == request_id, Meeting.status != "cancelled")
        )
        assert live == (1 if stored.status == "accepted" else 0)
        if stored.status == "accepted":
            client.post(f"{base}/{request_id}/cancel", headers=alice.headers)


def test_concurrent_duplicate_requests_create_one(
    app: Flask, client: Any, event: dict[str, Any], participant_factory: Any
) -> None:
    alice, bob = participant_factory(), participant_factory()
    url = f"/api/v1/events/{event['id']}/meeting-requests"
    barrier = threading.Barrier(THREADS)
    codes: list[int] = []

    def send() -> None:
        local = app.test_client()
        barrier.wait()
        codes.append(
            local.post(url, json={"invitee_id": bob.id}, headers=alice.headers).status_code
        )

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201] + [409] * (THREADS - 1), codes
