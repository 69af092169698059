"""Meeting-request changes reach a real local receiver as signed webhooks."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from api.extensions import db
from tests.api.conftest import Caller
from tests.api.webhook_receiver import Receiver, webhook_receiver


def _wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # end the read so the delivery thread can write (SQLite)
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _register(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, receiver: Receiver
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/webhooks",
        json={"url": receiver.url},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json
    receiver.secret = response.json["secret"]


def _bodies(receiver: Receiver) -> list[dict[str, Any]]:
    assert all(got["valid"] for got in receiver.received)
    return [json.loads(got["body"]) for got in receiver.received]


def _kinds(receiver: Receiver) -> list[str]:
    return [body["event"] for body in _bodies(receiver)]


def _ask(client: FlaskClient, event: dict[str, Any], who: Caller, whom: Caller) -> int:
    response = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests",
        json={"invitee_id": whom.id, "message": "Shall we talk?"},
        headers=who.headers,
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _answer(
    client: FlaskClient, event: dict[str, Any], request_id: int, verb: str, who: Caller
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/meeting-requests/{request_id}/{verb}",
        headers=who.headers,
    )
    assert response.status_code == 200, response.json


def test_a_request_and_its_acceptance_are_sent(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    ana, ben = participant_factory(), participant_factory()
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        request_id = _ask(client, event, ana, ben)
        _wait_for(lambda: len(receiver.received) == 1)
        _answer(client, event, request_id, "accept", ben)
        _wait_for(lambda: len(receiver.received) == 2)
    requested, accepted = _bodies(receiver)
    assert requested["event"] == "meeting.requested"
    assert requested["data"]["request_id"] == request_id
    assert (requested["data"]["requester_id"], requested["data"]["invitee_id"]) == (ana.id, ben.id)
    assert requested["data"]["status"] == "pending"
    assert accepted["event"] == "meeting.accepted"
    assert accepted["data"]["status"] == "accepted"
    assert accepted["data"]["meeting_id"] > 0
    assert sorted(accepted["data"]["participant_ids"]) == sorted([ana.id, ben.id])
    # Payloads carry ids, never names or e-mail addresses.
    assert "Ruiz" not in str(receiver.received) and "@" not in str(requested["data"])


def test_a_decline_is_sent(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    ana, ben = participant_factory(), participant_factory()
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        request_id = _ask(client, event, ana, ben)
        _answer(client, event, request_id, "decline", ben)
        _wait_for(lambda: len(receiver.received) == 2)
    assert sorted(_kinds(receiver)) == ["meeting.declined", "meeting.requested"]
    declined = next(b for b in _bodies(receiver) if b["event"] == "meeting.declined")
    assert declined["data"] == {
        "request_id": request_id,
        "requester_id": ana.id,
        "invitee_id": ben.id,
        "origin": "participant",
        "status": "declined",
    }


def test_an_organiser_arranged_meeting_is_requested_and_accepted_at_once(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    ana, ben = participant_factory(), participant_factory()
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        response = client.post(
            f"/api/v1/events/{event['id']}/meeting-requests",
            json={"requester_id": ana.id, "invitee_id": ben.id},
            headers=organiser.headers,
        )
        assert response.status_code == 201, response.json
        _wait_for(lambda: len(receiver.received) == 2)
    assert sorted(_kinds(receiver)) == ["meeting.accepted", "meeting.requested"]
    assert {b["data"]["origin"] for b in _bodies(receiver)} == {"organiser"}


def test_cancelling_an_accepted_request_sends_meeting_cancelled(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    ana, ben = participant_factory(), participant_factory()
    request_id = _ask(client, event, ana, ben)
    _answer(client, event, request_id, "accept", ben)
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        _answer(client, event, request_id, "cancel", ana)
        _wait_for(lambda: len(receiver.received) == 1)
    (cancelled,) = _bodies(receiver)
    assert cancelled["event"] == "meeting.cancelled"
    assert cancelled["data"]["request_id"] == request_id
    assert cancelled["data"]["meeting_id"] > 0


def test_a_refused_answer_sends_nothing(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    ana, ben = participant_factory(), participant_factory()
    request_id = _ask(client, event, ana, ben)
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        # Only the invitee may accept: a 403 that must not announce anything.
        refused = client.post(
            f"/api/v1/events/{event['id']}/meeting-requests/{request_id}/accept",
            headers=ana.headers,
        )
        assert refused.status_code == 403
        _answer(client, event, request_id, "decline", ben)
        _wait_for(lambda: len(receiver.received) == 1)
    assert _kinds(receiver) == ["meeting.declined"]


def test_a_confirmed_proposal_is_accepted_and_a_draft_sends_nothing(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, participant_factory: Any
) -> None:
    from api.models import MeetingRequest

    ana, ben = participant_factory(), participant_factory()
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        # An auto-match proposal is the organiser's draft (as the automatch job writes it).
        proposal = MeetingRequest(
            event_id=event["id"],
            requester_id=ana.id,
            invitee_id=ben.id,
            origin="auto_match",
            status="pending",
            version=1,
        )
        db.session.add(proposal)
        db.session.commit()
        response = client.post(
            f"/api/v1/events/{event['id']}/meeting-requests/confirm-proposals",
            json={},
            headers=organiser.headers,
        )
        assert response.status_code == 200, response.json
        _wait_for(lambda: len(receiver.received) == 1)
    (accepted,) = _bodies(receiver)
    assert accepted["event"] == "meeting.accepted"
    assert accepted["data"]["origin"] == "auto_match"
    assert accepted["data"]["request_id"] == proposal.id
