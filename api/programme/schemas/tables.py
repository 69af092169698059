from __future__ import annotations

from marshmallow import Schema, fields, validate


class MeetingTableSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, 80))
    reserved_for_id = fields.Integer(
        allow_none=True, load_default=None, strict=True, metadata={"description": "An exhibitor"}
    )


class MeetingTableQueryArgsSchema(Schema):
    is_reserved = fields.Boolean()
    q = fields.String(validate=validate.Length(max=80))


class MeetingTableBulkSchema(Schema):
    count = fields.Integer(required=True, strict=True, validate=validate.Range(1, 1000))
    prefix = fields.String(load_default="T", validate=validate.Length(max=40))
    first = fields.Integer(
        load_default=1,
        strict=True,
        validate=validate.Range(0, 100_000),
        metadata={"description": "The number of the first table"},
    )
