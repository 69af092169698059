"""The organisers' webhooks page: where the event's changes are sent, and a new target
with its signing secret shown once."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from marshmallow import ValidationError
from sqlalchemy import select

from api.exceptions import InvalidInput
from api.extensions import db
from api.models import Event, Webhook
from api.models.webhooks import WEBHOOK_KINDS
from api.web_forms import flatten_errors
from api.web_session import load_session_principal, organised_event, protect_response
from api.webhooks.operations import create_webhook
from api.webhooks.schemas import WebhookSchema

blp = Blueprint(
    "webhooks_web",
    __name__,
    url_prefix="/events/<int:event_id>/organise/webhooks",
    template_folder="templates",
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)


def _page(event: Event, errors: dict[str, str], created: Webhook | None, status: int) -> Any:
    hooks = db.session.scalars(
        select(Webhook).where(Webhook.event_id == event.id).order_by(Webhook.id)
    ).all()
    return render_template(
        "webhooks/webhooks.html",
        event=event,
        hooks=hooks,
        kinds=WEBHOOK_KINDS,
        errors=errors,
        created=created,
    ), status


@blp.route("", methods=["GET", "POST"])
def webhooks(event_id: int) -> Any:
    event = organised_event(event_id)
    if request.method == "GET":
        return _page(event, {}, None, 200)
    raw = {"url": request.form.get("url", "").strip(), "kinds": request.form.getlist("kinds")}
    try:
        data = WebhookSchema().load(raw)
        created = create_webhook(event, data["url"], data["kinds"])
        db.session.commit()
    except ValidationError as exc:
        return _page(event, flatten_errors(exc.messages, "webhook."), None, 422)
    except InvalidInput as exc:
        db.session.rollback()
        return _page(event, flatten_errors(exc.errors, "webhook."), None, 422)
    return _page(event, {}, created, 201)
