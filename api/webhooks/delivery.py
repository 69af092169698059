"""Sending webhook deliveries.

Each delivery id goes to the background tasks (``api.background``), like mail: the
embedded worker thread, or the Celery task ``clustermeet.deliver_webhook`` (sent by
name; ``api`` never imports ``worker``) in distributed mode; no timers in web processes.
``deliver(delivery_id)`` makes one attempt and asks for the next one, after exponential
backoff, until ``WEBHOOK_MAX_ATTEMPTS`` is reached.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import requests
from flask import Flask, current_app, has_app_context
from sqlalchemy import select

from api.background.runner import background_runner
from api.background.tasks import RetryLater, background_task
from api.extensions import db
from api.models import Webhook, WebhookDelivery
from api.models.enums import DeliveryStatus
from api.models.types import now_utc
from api.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from api.webhooks.targets import pinned_post, resolve_target

log = logging.getLogger(__name__)

DELIVER_TASK = "clustermeet.deliver_webhook"


def dispatch(app: Flask, delivery_id: int, delay_s: float) -> None:
    """Hand one delivery to the background tasks, now or after ``delay_s`` seconds."""
    background_runner(app).submit(DELIVER_TASK, delivery_id, delay_s)


def due_delivery_ids() -> list[int]:
    """Pending deliveries, for the embedded thread to resume after a restart."""
    return list(
        db.session.scalars(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == DeliveryStatus.PENDING)
            .order_by(WebhookDelivery.id)
        )
    )


def backoff_s(attempts: int) -> float:
    """Seconds before the next attempt after ``attempts`` failures: base * 2^(n-1)."""
    base = float(current_app.config.get("WEBHOOK_RETRY_BASE_S", 30.0))
    cap = float(current_app.config.get("WEBHOOK_RETRY_MAX_S", 6 * 3600.0))
    return float(min(cap, base * 2 ** max(0, attempts - 1)))


def body_of(delivery: WebhookDelivery, webhook: Webhook, timestamp: int) -> bytes:
    envelope = {
        "id": delivery.id,
        "event": delivery.kind,
        "event_id": webhook.event_id,
        "created_dt": delivery.created_dt.isoformat(),
        "timestamp": timestamp,
        "data": delivery.payload,
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode()


@background_task(DELIVER_TASK, pending=due_delivery_ids)
def deliver(delivery_id: int) -> str:
    """Make one attempt at a pending delivery; returns its status afterwards, or raises
    ``RetryLater`` with the backoff delay while attempts are left.

    Runs inside an app context (the worker's task or the embedded thread provide it).
    """
    assert has_app_context()
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "missing"
    webhook = db.session.get(Webhook, delivery.webhook_id)
    if webhook is None or not webhook.is_active:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = "webhook disabled"
        delivery.next_attempt_dt = None
        db.session.commit()
        return delivery.status
    timestamp = int(now_utc().timestamp())
    body = body_of(delivery, webhook, timestamp)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "clustermeet-webhooks/1",
        SIGNATURE_HEADER: sign(webhook.secret, body),
        TIMESTAMP_HEADER: str(timestamp),
        "X-Clustermeet-Event": delivery.kind,
        "X-Clustermeet-Delivery": str(delivery.id),
    }
    timeout = float(current_app.config.get("WEBHOOK_TIMEOUT_S", 10.0))
    delivery.attempts += 1
    # The log the organiser reads says what happened in a few fixed words: connection
    # errors and answers stay in the server log, so the log cannot be used to scan.
    problem, address = resolve_target(
        webhook.url, current_app.config.get("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
    )
    ok = False
    delivery.last_status_code = None
    if problem:
        log.warning("webhook %s: target refused: %s", webhook.id, problem)
        delivery.last_error = "target refused"
    else:
        try:
            sending: dict[str, Any] = {
                "data": body,
                "headers": headers,
                "timeout": timeout,
                "allow_redirects": False,
            }
            response = (
                pinned_post(webhook.url, address, **sending)
                if address
                else requests.post(webhook.url, **sending)
            )
            delivery.last_status_code = response.status_code
            ok = 200 <= response.status_code < 300
            delivery.last_error = "" if ok else f"HTTP {response.status_code}"
        except requests.Timeout:
            delivery.last_error = "timed out"
        except requests.RequestException as exc:
            log.info("webhook %s: delivery %s failed: %s", webhook.id, delivery.id, exc)
            delivery.last_error = "connection failed"
    if ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_dt = now_utc()
        delivery.next_attempt_dt = None
        db.session.commit()
        return delivery.status
    max_attempts = int(current_app.config.get("WEBHOOK_MAX_ATTEMPTS", 8))
    if delivery.attempts >= max_attempts:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_dt = None
        db.session.commit()
        return delivery.status
    delay = backoff_s(delivery.attempts)
    delivery.next_attempt_dt = now_utc() + timedelta(seconds=delay)
    db.session.commit()
    raise RetryLater(delivery.last_error, delay_s=delay)


def resume_due_deliveries(app: Flask) -> int:
    """Re-dispatch pending deliveries whose attempt is due (after a restart); returns how many."""
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(WebhookDelivery.id).where(
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.next_attempt_dt <= now_utc(),
                )
            )
        )
    for delivery_id in ids:
        dispatch(app, delivery_id, delay_s=0.0)
    return len(ids)
