"""Confirming auto-match proposals respects the event's meeting cap (issue 17.1 / 17 gap)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, or_, select

from api.extensions import db
from api.models import Meeting, MeetingRequest
from tests.api.conftest import Caller, event_payload
from tests.api.test_request_races import _new_request

CAP = 2


def _capped_event(event_factory: Any) -> dict[str, Any]:
    settings = event_payload()["meeting_settings"] | {"max_meetings_per_participant": CAP}
    return event_factory(meeting_settings=settings)  # type: ignore[no-any-return]


def _proposal(event: dict[str, Any], a: Caller, b: Caller) -> int:
    # What the automatch job writes (api/solving/handlers/automatch.py): a draft.
    proposal = MeetingRequest(
        event_id=event["id"],
        requester_id=a.id,
        invitee_id=b.id,
        origin="auto_match",
        status="pending",
        message="Suggested by auto-matching",
        version=1,
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal.id


def _hammer(app: Flask, calls: list[tuple[str, dict[str, str]]]) -> list[int]:
    """POST the calls (with an empty JSON body) at once from separate threads."""
    barrier = threading.Barrier(len(calls))
    codes = [0] * len(calls)

    def send(number: int, url: str, headers: dict[str, str]) -> None:
        local = app.test_client()
        barrier.wait()
        codes[number] = local.post(url, json={}, headers=headers).status_code

    threads = [
        threading.Thread(target=send, args=(n, url, headers))
        for n, (url, headers) in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def _live_meetings(participant_id: int) -> int:
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count())
        .select_from(Meeting)
        .where(
            Meeting.status != "cancelled",
            or_(
                Meeting.participant_a_id == participant_id,
                Meeting.participant_b_id == participant_id,
            ),
        )
    )
    return int(count or 0)


def test_confirming_proposals_stops_at_the_cap_and_keeps_the_rest_pending(
    client: FlaskClient, event_factory: Any, participant_factory: Any, organiser: Caller
) -> None:
    event = _capped_event(event_factory)
    hub = participant_factory(event_id=event["id"])
    others = [participant_factory(event_id=event["id"]) for _ in range(4)]
    base = f"/api/v1/events/{event['id']}/meeting-requests"
    # One meeting the hub already has, asked and accepted by hand.
    rid = _new_request(client, event, others[0], hub)
    assert client.post(f"{base}/{rid}/accept", headers=hub.headers).status_code == 200
    ids = [_proposal(event, hub, other) for other in others[1:]]

    answer = client.post(f"{base}/confirm-proposals", json={}, headers=organiser.headers)

    assert answer.status_code == 200, answer.json
    assert [r["id"] for r in answer.json["confirmed"]] == ids[:1]
    assert [s["id"] for s in answer.json["skipped"]] == ids[1:]
    assert all("most this event allows" in s["reason"] for s in answer.json["skipped"])
    assert _live_meetings(hub.id) == CAP
    still = [db.session.get(MeetingRequest, i) for i in ids[1:]]
    assert [p.status for p in still if p is not None] == ["pending", "pending"]


@pytest.mark.postgres
def test_confirming_proposals_while_invitees_accept_respects_the_cap(
    app: Flask, client: FlaskClient, event_factory: Any, participant_factory: Any, organiser: Caller
) -> None:
    event = _capped_event(event_factory)
    hub = participant_factory(event_id=event["id"])
    askers = [participant_factory(event_id=event["id"]) for _ in range(3)]
    proposed = [participant_factory(event_id=event["id"]) for _ in range(3)]
    base = f"/api/v1/events/{event['id']}/meeting-requests"
    requests = [_new_request(client, event, hub, asker) for asker in askers]
    for other in proposed:
        _proposal(event, hub, other)
    calls = [
        (f"{base}/{rid}/accept", asker.headers) for rid, asker in zip(requests, askers, strict=True)
    ]
    calls.append((f"{base}/confirm-proposals", organiser.headers))
    codes = _hammer(app, calls)
    assert set(codes) <= {200, 409}, codes
    assert _live_meetings(hub.id) == CAP
