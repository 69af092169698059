from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.models.webhook_deliveries import DELIVERY_STATUSES
from api.models.webhooks import WEBHOOK_KINDS


class WebhookSchema(Schema):
    id = fields.Integer(dump_only=True)
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=500),
    )
    kinds = fields.List(
        fields.String(validate=validate.OneOf(WEBHOOK_KINDS)),
        load_default=list,
        validate=validate.Length(max=len(WEBHOOK_KINDS)),
        metadata={"description": "Event kinds to receive; empty means all"},
    )
    is_active = fields.Boolean(load_default=True)
    created_dt = fields.DateTime(dump_only=True)


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        dump_only=True,
        metadata={"description": "Signing secret, shown only in this response; keep it"},
    )


class WebhookDeliverySchema(Schema):
    id = fields.Integer(dump_only=True)
    webhook_id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    payload = fields.Dict(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(DELIVERY_STATUSES)})
    attempts = fields.Integer(dump_only=True)
    last_status_code = fields.Integer(dump_only=True, allow_none=True)
    last_error = fields.String(dump_only=True)
    next_attempt_dt = fields.DateTime(dump_only=True, allow_none=True)
    created_dt = fields.DateTime(dump_only=True)
    delivered_dt = fields.DateTime(dump_only=True, allow_none=True)


class WebhookDeliveryQueryArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(DELIVERY_STATUSES))
