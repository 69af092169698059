from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.http.validation import SLUG_LIST_DOC, slug_list
from api.models.opportunities import OPPORTUNITY_KINDS


class OpportunitySchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = fields.Integer(
        metadata={"description": "Defaults to the calling participant; organisers must give it"}
    )
    kind = fields.String(required=True, validate=validate.OneOf(OPPORTUNITY_KINDS))
    title = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    tags = fields.Function(
        lambda item: [tag.slug for tag in item.tags],
        deserialize=slug_list,
        load_default=list,
        metadata={"description": "Tag slugs of the event taxonomy", **SLUG_LIST_DOC},
    )
    created_dt = fields.AwareDateTime(dump_only=True)


class OpportunityQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(OPPORTUNITY_KINDS))
    participant_id = fields.Integer()
    tag = fields.String()
    q = fields.String(validate=validate.Length(max=100))
