from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from api.events.lookup import get_in_event
from api.exceptions import NotFound
from api.extensions import db
from api.http.guards import event_manager_required, get_managed_event
from api.http.pagination import paginate
from api.models import Event, Webhook, WebhookDelivery
from api.webhooks.operations import check_target, create_webhook, redeliver
from api.webhooks.schemas import (
    WebhookCreatedSchema,
    WebhookDeliveryQueryArgsSchema,
    WebhookDeliverySchema,
    WebhookSchema,
)

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/webhooks",
    description="Webhooks: signed, retried deliveries of meeting and schedule changes",
)


def _get_webhook(event: Event, webhook_id: int) -> Webhook:
    return get_in_event(Webhook, event, webhook_id, "Webhook")


@blp.route("")
class WebhookViews(MethodView):
    @event_manager_required
    @blp.response(200, WebhookSchema(many=True))
    def get(self, event_id: int) -> list[Webhook]:
        """The event's webhooks (organiser); secrets are never shown again."""
        event = get_managed_event(event_id)
        return list(
            db.session.scalars(
                select(Webhook).where(Webhook.event_id == event.id).order_by(Webhook.id)
            )
        )

    @event_manager_required
    @blp.arguments(WebhookSchema)
    @blp.response(201, WebhookCreatedSchema)
    def post(self, data: dict[str, Any], event_id: int) -> Webhook:
        """Register a URL (organiser); the response holds the signing secret, once.

        Each delivery is a POST with a JSON body ``{id, event, event_id, created_dt,
        timestamp, data}``, the header ``X-Clustermeet-Signature: sha256=<hex>`` (HMAC-SHA256
        of the raw body with the secret) and ``X-Clustermeet-Timestamp``. Any 2xx answer
        acknowledges it; otherwise it is retried with exponential backoff.
        """
        event = get_managed_event(event_id)
        webhook = create_webhook(event, data["url"], data["kinds"])
        webhook.is_active = data["is_active"]
        db.session.commit()
        return webhook


@blp.route("/<int:webhook_id>")
class WebhookByIdViews(MethodView):
    @event_manager_required
    @blp.response(200, WebhookSchema)
    def get(self, event_id: int, webhook_id: int) -> Webhook:
        """One webhook (organiser)."""
        return _get_webhook(get_managed_event(event_id), webhook_id)

    @event_manager_required
    @blp.arguments(WebhookSchema(partial=True))
    @blp.response(200, WebhookSchema)
    def patch(self, data: dict[str, Any], event_id: int, webhook_id: int) -> Webhook:
        """Change the URL or kinds, or pause it with ``is_active: false`` (organiser)."""
        webhook = _get_webhook(get_managed_event(event_id), webhook_id)
        if "url" in data:
            check_target(data["url"])
        for key, value in data.items():
            setattr(webhook, key, value)
        db.session.commit()
        return webhook

    @event_manager_required
    @blp.response(204)
    def delete(self, event_id: int, webhook_id: int) -> None:
        """Remove a webhook and its delivery log (organiser)."""
        db.session.delete(_get_webhook(get_managed_event(event_id), webhook_id))
        db.session.commit()


@blp.route("/<int:webhook_id>/deliveries")
class WebhookDeliveryViews(MethodView):
    @event_manager_required
    @blp.arguments(WebhookDeliveryQueryArgsSchema, location="query")
    @blp.response(200, WebhookDeliverySchema(many=True))
    @blp.paginate()
    def get(
        self,
        args: dict[str, Any],
        event_id: int,
        webhook_id: int,
        pagination_parameters: PaginationParameters,
    ) -> Any:
        """The delivery log, newest first: status, attempts, last answer, next attempt."""
        webhook = _get_webhook(get_managed_event(event_id), webhook_id)
        query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
        if "status" in args:
            query = query.where(WebhookDelivery.status == args["status"])
        query = query.order_by(WebhookDelivery.id.desc())
        return paginate(query, pagination_parameters)


@blp.route("/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver")
class WebhookRedeliverViews(MethodView):
    @event_manager_required
    @blp.response(202, WebhookDeliverySchema)
    def post(self, event_id: int, webhook_id: int, delivery_id: int) -> WebhookDelivery:
        """Send a delivery again from its first attempt (organiser)."""
        webhook = _get_webhook(get_managed_event(event_id), webhook_id)
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.webhook_id != webhook.id:
            raise NotFound("Delivery not found")
        redeliver(delivery)
        db.session.commit()
        return delivery
