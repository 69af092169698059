from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.i18n import LANGUAGES
from api.models.api_keys import KeyScope
from api.models.enums import OPTIONAL_KINDS
from api.models.event_members import MemberRole

_SCOPES = [s.value for s in KeyScope]
_ROLES = [r.value for r in MemberRole]
_MUTABLE = [*sorted(k.value for k in OPTIONAL_KINDS), "*"]


class ApiKeySchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    scope = fields.String(
        load_default=KeyScope.FULL.value,
        validate=validate.OneOf(_SCOPES),
        metadata={"description": "read: GET only; full: everything the person's roles allow"},
    )
    key_prefix = fields.String(dump_only=True)
    created_dt = fields.DateTime(dump_only=True)
    last_used_dt = fields.DateTime(dump_only=True, allow_none=True)
    revoked_dt = fields.DateTime(dump_only=True, allow_none=True)
    replaced_by_id = fields.Integer(dump_only=True, allow_none=True)


class ApiKeyCreatedSchema(ApiKeySchema):
    secret = fields.String(
        dump_only=True, metadata={"description": "The key, shown only in this response"}
    )


class ApiKeyQueryArgsSchema(Schema):
    include_revoked = fields.Boolean(load_default=False)


class FirstKeySchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=500))
    name = fields.String(load_default="first key", validate=validate.Length(min=1, max=100))


class MemberSchema(Schema):
    id = fields.Integer(dump_only=True)
    organiser_id = fields.Integer(dump_only=True)
    name = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "For a person new to clustermeet"},
    )
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(required=True, validate=validate.OneOf(_ROLES))
    created_dt = fields.DateTime(dump_only=True)


class MemberPatchSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(_ROLES))


class SignInRequestSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class SignInTokenSchema(Schema):
    token = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=500))


class SignedInSchema(Schema):
    access_token = fields.String(
        dump_only=True, metadata={"description": "Bearer token, shown only in this response"}
    )
    participant_id = fields.Integer(dump_only=True)
    event_id = fields.Integer(dump_only=True)


class SignedOutSchema(Schema):
    sessions_ended = fields.Integer(dump_only=True)


class MessageSchema(Schema):
    message = fields.String(dump_only=True)


class FeedLinkSchema(Schema):
    id = fields.Integer(dump_only=True)
    scope = fields.String(dump_only=True)
    participant_id = fields.Integer(dump_only=True, allow_none=True)
    created_dt = fields.DateTime(dump_only=True)
    urls = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        dump_only=True,
        metadata={"description": "Read-only links; anyone holding one can read that page"},
    )


class NotificationSettingsSchema(Schema):
    language = fields.String(validate=validate.OneOf(sorted(LANGUAGES)))
    muted_notifications = fields.List(
        fields.String(validate=validate.OneOf(_MUTABLE)),
        validate=validate.Length(max=len(_MUTABLE)),
        metadata={"description": "Kinds turned off; '*' turns off every optional mail"},
    )
