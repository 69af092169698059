"""Webhooks: organisers hear about an event's changes at their own URLs.

Deliveries are written in the same transaction as the change they report (an outbox):
if the change rolls back, nothing is sent. Once the transaction commits, each delivery
id is handed to the background: a thread in embedded mode, the Celery task
``clustermeet.deliver_webhook`` (sent by name; ``api`` never imports ``worker``) in
distributed mode. ``deliver(delivery_id)`` makes one attempt and schedules the next one
with exponential backoff until ``WEBHOOK_MAX_ATTEMPTS`` is reached.

Every request carries ``X-Clustermeet-Signature: sha256=<hex>``, the HMAC-SHA256 of the
raw body with the webhook's secret, and ``X-Clustermeet-Timestamp`` (Unix seconds, also
in the body, so a receiver can refuse replays). Payloads carry ids, never names or
e-mail addresses: a delivery log must not keep personal data after a person is erased.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
from datetime import date, datetime, timedelta
from typing import Any

import requests
from flask import Flask, current_app, has_app_context
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from api.exceptions import InvalidInput
from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingPlacement,
    MeetingTable,
    ScheduleVersion,
    Webhook,
    WebhookDelivery,
)
from api.models.enums import DeliveryStatus, ScheduleKind
from api.models.types import now_utc
from api.models.webhooks import WEBHOOK_KINDS

log = logging.getLogger(__name__)

DELIVER_TASK = "clustermeet.deliver_webhook"
SIGNATURE_HEADER = "X-Clustermeet-Signature"
TIMESTAMP_HEADER = "X-Clustermeet-Timestamp"
_PENDING_KEY = "clustermeet_webhook_deliveries"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def create_webhook(event: Event, url: str, kinds: list[str]) -> Webhook:
    unknown = sorted(set(kinds) - set(WEBHOOK_KINDS))
    if unknown:
        raise InvalidInput({"kinds": [f"Unknown event kinds: {', '.join(unknown)}"]})
    webhook = Webhook(event_id=event.id, url=url, secret=new_webhook_secret(), kinds=kinds)
    db.session.add(webhook)
    db.session.flush()
    return webhook


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), signature)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def queue_event(event_id: int, kind: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Record deliveries in the current transaction; they are sent once it commits."""
    if kind not in WEBHOOK_KINDS:
        raise ValueError(f"unknown webhook event kind {kind!r}")
    webhooks = db.session.scalars(
        select(Webhook).where(Webhook.event_id == event_id, Webhook.is_active.is_(True))
    )
    deliveries = [
        WebhookDelivery(
            webhook_id=webhook.id,
            kind=kind,
            payload=_jsonable(payload),
            status=DeliveryStatus.PENDING,
            next_attempt_dt=now_utc(),
        )
        for webhook in webhooks
        if webhook.wants(kind)
    ]
    if not deliveries:
        return []
    db.session.add_all(deliveries)
    db.session.flush()
    session = db.session()
    _watch_commit(session)
    session.info.setdefault(_PENDING_KEY, []).extend(d.id for d in deliveries)
    return deliveries


def emit(event: Event | int, kind: str, payload: dict[str, Any]) -> list[int]:
    """Report a change that is already committed; returns the delivery ids."""
    event_id = event if isinstance(event, int) else event.id
    deliveries = queue_event(event_id, kind, payload)
    ids = [d.id for d in deliveries]
    if ids:
        db.session.commit()
    return ids


def _watch_commit(session: OrmSession) -> None:
    if session.info.get("clustermeet_webhooks_watched"):
        return
    session.info["clustermeet_webhooks_watched"] = True
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def after_commit(committed: OrmSession) -> None:
        ids = committed.info.pop(_PENDING_KEY, [])
        for delivery_id in ids:
            dispatch(app, delivery_id, delay_s=0.0)

    def after_rollback(rolled_back: OrmSession) -> None:
        rolled_back.info.pop(_PENDING_KEY, None)

    sa_event.listen(session, "after_commit", after_commit)
    sa_event.listen(session, "after_soft_rollback", lambda s, _t: after_rollback(s))


def dispatch(app: Flask, delivery_id: int, delay_s: float) -> None:
    """Hand one delivery to the background, now or after ``delay_s`` seconds."""
    if app.config.get("JOBS_BACKEND") == "celery":
        from celery import Celery

        celery = app.extensions.get("clustermeet_webhooks_celery")
        if celery is None:
            from api.config import celery_settings

            celery = Celery("clustermeet-api")
            celery.config_from_object(celery_settings(app))
            app.extensions["clustermeet_webhooks_celery"] = celery
        celery.send_task(DELIVER_TASK, args=[delivery_id], countdown=max(0.0, delay_s))
        return

    def run() -> None:
        with app.app_context():
            try:
                deliver(delivery_id)
            except Exception:
                log.exception("webhook delivery %s crashed", delivery_id)
            finally:
                db.session.remove()

    timer = threading.Timer(max(0.0, delay_s), run)
    timer.daemon = True
    timer.name = f"clustermeet-webhook-{delivery_id}"
    timer.start()


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


def deliver(delivery_id: int) -> str:
    """Make one attempt at a pending delivery; returns its status afterwards.

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
    try:
        response = requests.post(
            webhook.url, data=body, headers=headers, timeout=timeout, allow_redirects=False
        )
        delivery.last_status_code = response.status_code
        ok = 200 <= response.status_code < 300
        delivery.last_error = "" if ok else f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        ok = False
        delivery.last_status_code = None
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:1000]
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
    dispatch(current_app._get_current_object(), delivery.id, delay_s=delay)  # type: ignore[attr-defined]
    return delivery.status


def redeliver(delivery: WebhookDelivery) -> None:
    """Send a failed or delivered event again (organiser's request), from attempt zero."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_dt = now_utc()
    session = db.session()
    _watch_commit(session)
    session.info.setdefault(_PENDING_KEY, []).append(delivery.id)


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


def emit_publication(event: Event, version: ScheduleVersion) -> None:
    """After a publish commits: ``schedule.published``, and for a meetings schedule one
    ``meeting.scheduled`` per new meeting and one ``meeting.moved`` per moved meeting."""
    queue_event(event.id, "schedule.published", published_payload(version))
    if version.kind == ScheduleKind.MEETINGS:
        rows = db.session.execute(
            select(MeetingPlacement, MeetingTable.name)
            .outerjoin(MeetingTable, MeetingTable.id == MeetingPlacement.table_id)
            .where(MeetingPlacement.version_id == version.id)
        )
        placed = {placement.meeting_id: (placement, table) for placement, table in rows}
        for kind, ids in (("meeting.scheduled", "new"), ("meeting.moved", "moved")):
            for meeting_id in version.diff.get(ids, []):
                meeting = db.session.get(Meeting, meeting_id)
                if meeting is None or meeting_id not in placed:
                    continue
                placement, table = placed[meeting_id]
                queue_event(
                    event.id,
                    kind,
                    {
                        "meeting_id": meeting_id,
                        "version_id": version.id,
                        "participant_ids": [meeting.participant_a_id, meeting.participant_b_id],
                        "start_dt": placement.start_dt,
                        "end_dt": placement.end_dt,
                        "table_id": placement.table_id,
                        "table": table,
                        "online_url": placement.online_url,
                    },
                )
    db.session.commit()


def published_payload(version: ScheduleVersion) -> dict[str, Any]:
    """``schedule.published``: which version, and what moved, appeared or went."""
    return {
        "version_id": version.id,
        "kind": version.kind,
        "number": version.number,
        "published_dt": version.published_dt,
        "diff": version.diff,
    }
