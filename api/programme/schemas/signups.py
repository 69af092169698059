from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.models.signups import SIGNUP_KINDS


class SignUpSchema(Schema):
    id = fields.Integer(dump_only=True)
    session_id = fields.Integer(dump_only=True)
    participant_id = fields.Integer(
        strict=True,
        metadata={"description": "Organisers only: whom to sign up; participants sign up themself"},
    )
    kind = fields.String(load_default="attend", validate=validate.OneOf(SIGNUP_KINDS))
    created_dt = fields.AwareDateTime(dump_only=True)


class SignUpQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(SIGNUP_KINDS))
