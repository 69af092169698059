"""Webhooks: organisers hear about an event's changes at their own URLs.

Subscriptions and the outbox. Deliveries are written in the same transaction as the
change they report: if the change rolls back, nothing is sent. Once the transaction
commits, each delivery id is handed to ``api.webhooks.delivery``. Payloads carry ids,
never names or e-mail addresses: a delivery log must not keep personal data after a
person is erased.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from api.background.runner import submit_after_commit
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
from api.webhooks.delivery import DELIVER_TASK
from api.webhooks.signing import new_webhook_secret
from api.webhooks.targets import target_problem


def check_target(url: str) -> None:
    """A 422 naming ``url`` if webhooks may not go there (api/webhooks/targets.py)."""
    problem = target_problem(url, current_app.config.get("WEBHOOK_ALLOW_PRIVATE_TARGETS", False))
    if problem:
        raise InvalidInput({"url": [problem]})


def create_webhook(event: Event, url: str, kinds: list[str]) -> Webhook:
    unknown = sorted(set(kinds) - set(WEBHOOK_KINDS))
    if unknown:
        raise InvalidInput({"kinds": [f"Unknown event kinds: {', '.join(unknown)}"]})
    check_target(url)
    webhook = Webhook(event_id=event.id, url=url, secret=new_webhook_secret(), kinds=kinds)
    db.session.add(webhook)
    db.session.flush()
    return webhook


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
    for delivery in deliveries:
        submit_after_commit(DELIVER_TASK, delivery.id)
    return deliveries


def emit(event: Event | int, kind: str, payload: dict[str, Any]) -> list[int]:
    """Report a change that is already committed; returns the delivery ids."""
    event_id = event if isinstance(event, int) else event.id
    deliveries = queue_event(event_id, kind, payload)
    ids = [d.id for d in deliveries]
    if ids:
        db.session.commit()
    return ids


def redeliver(delivery: WebhookDelivery) -> None:
    """Send a failed or delivered event again (organiser's request), from attempt zero."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_dt = now_utc()
    submit_after_commit(DELIVER_TASK, delivery.id)


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
