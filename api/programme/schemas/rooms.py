from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.models.rooms import ROOM_FEATURES


class RoomSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, 120))
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    features = fields.List(
        fields.String(validate=validate.OneOf(ROOM_FEATURES)),
        load_default=list,
        validate=validate.Length(max=len(ROOM_FEATURES) * 2),
    )


class RoomQueryArgsSchema(Schema):
    feature = fields.String(validate=validate.OneOf(ROOM_FEATURES))
    min_capacity = fields.Integer(validate=validate.Range(min=1))
