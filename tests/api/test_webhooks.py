"""Webhooks: registration, signed delivery to a real local receiver, retries, the log."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import WebhookDelivery
from api.webhooks.operations import emit
from api.webhooks.signing import sign
from tests.api.conftest import Caller
from tests.api.webhook_receiver import Receiver, webhook_receiver
from tests.conftest import make_app


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The receiver listens on loopback: the operator's allow switch is on."""
    yield from make_app(request, "sqlite", tmp_path, WEBHOOK_ALLOW_PRIVATE_TARGETS=True)


def _wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # end the read so the delivery thread can write (SQLite)
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _deliveries() -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _register(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, receiver: Receiver, **extra: Any
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/events/{event['id']}/webhooks",
        json={"url": receiver.url, **extra},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json
    receiver.secret = response.json["secret"]
    return response.json  # type: ignore[no-any-return]


def test_the_secret_is_shown_only_at_creation(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    with webhook_receiver() as receiver:
        created = _register(client, event, organiser, receiver)
    assert created["secret"].startswith("whsec_")
    listed = client.get(f"/api/v1/events/{event['id']}/webhooks", headers=organiser.headers)
    assert listed.status_code == 200
    assert "secret" not in listed.json[0]


def test_only_the_organiser_manages_webhooks(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    someone = participant_factory()
    url = f"/api/v1/events/{event['id']}/webhooks"
    assert client.post(url, json={"url": "http://127.0.0.1/x"}).status_code == 401
    assert (
        client.post(url, json={"url": "http://127.0.0.1/x"}, headers=someone.headers).status_code
        == 403
    )


def test_unknown_kinds_are_refused(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/webhooks",
        json={"url": "http://127.0.0.1/x", "kinds": ["meeting.exploded"]},
        headers=organiser.headers,
    )
    assert response.status_code == 422


def test_delivery_is_signed_and_logged(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        emit(event["id"], "meeting.cancelled", {"meeting_id": 7, "participant_ids": [1, 2]})
        _wait_for(lambda: _deliveries()[0].status == "delivered")
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got["valid"]
    body = json.loads(got["body"])
    assert body["event"] == "meeting.cancelled"
    assert body["data"] == {"meeting_id": 7, "participant_ids": [1, 2]}
    assert str(body["timestamp"]) == got["timestamp"]
    delivery = _deliveries()[0]
    assert (delivery.attempts, delivery.last_status_code) == (1, 204)
    assert delivery.delivered_dt is not None


def test_a_failed_delivery_is_retried_with_backoff(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    app.config["WEBHOOK_RETRY_BASE_S"] = 0.1
    with webhook_receiver() as receiver:
        receiver.fail_first = 2
        webhook = _register(client, event, organiser, receiver)
        emit(event["id"], "schedule.published", {"version_id": 3})
        _wait_for(lambda: _deliveries()[0].status == "delivered")
    assert receiver.answered == [500, 500, 204]
    log = client.get(
        f"/api/v1/events/{event['id']}/webhooks/{webhook['id']}/deliveries",
        headers=organiser.headers,
    ).json
    assert log[0]["status"] == "delivered"
    assert log[0]["attempts"] == 3
    assert log[0]["last_status_code"] == 204


def test_delivery_gives_up_after_the_last_attempt(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    app.config.update(WEBHOOK_RETRY_BASE_S=0.05, WEBHOOK_MAX_ATTEMPTS=2)
    with webhook_receiver() as receiver:
        receiver.fail_first = 5
        _register(client, event, organiser, receiver)
        emit(event["id"], "schedule.published", {"version_id": 3})
        _wait_for(lambda: _deliveries()[0].status == "failed")
    delivery = _deliveries()[0]
    assert delivery.attempts == 2
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_dt is None


def test_the_receiver_refuses_a_bad_signature(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    app.config.update(WEBHOOK_MAX_ATTEMPTS=1)
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        receiver.secret = "whsec_not-the-right-one"
        emit(event["id"], "schedule.published", {"version_id": 3})
        _wait_for(lambda: _deliveries()[0].status == "failed")
    assert receiver.answered == [401]
    assert _deliveries()[0].last_status_code == 401


def test_signature_is_hmac_sha256_of_the_body() -> None:
    import hashlib
    import hmac

    body = b'{"a":1}'
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign("s3cret", body) == f"sha256={expected}"


@pytest.mark.parametrize("kinds", [["meeting.held"], []])
def test_webhooks_receive_only_their_kinds(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller, kinds: list[str]
) -> None:
    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver, kinds=kinds)
        ids = emit(event["id"], "schedule.published", {"version_id": 3})
    assert len(ids) == (0 if kinds else 1)


def test_nothing_is_sent_when_the_change_rolls_back(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    from api.webhooks.operations import queue_event

    with webhook_receiver() as receiver:
        _register(client, event, organiser, receiver)
        queue_event(event["id"], "meeting.cancelled", {"meeting_id": 1})
        db.session.rollback()
        time.sleep(0.2)
    assert receiver.received == []
    assert _deliveries() == []
