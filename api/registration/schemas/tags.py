from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.http.validation import validate_slug
from api.models.tags import TAG_KINDS


class TagSchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(required=True, validate=[validate.Length(1, 80), validate_slug])
    label = fields.String(required=True, validate=validate.Length(1, 120))
    kind = fields.String(load_default="theme", validate=validate.OneOf(TAG_KINDS))


class TagQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(TAG_KINDS))
    q = fields.String(validate=validate.Length(max=100))
