from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.http.validation import SLUG_LIST_DOC, slug_list, validate_country, validate_not_blank
from api.models.organisations import ORGANISATION_SIZES, ORGANISATION_TYPES


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=[validate.Length(1, 200), validate_not_blank])
    type = fields.String(required=True, validate=validate.OneOf(ORGANISATION_TYPES))
    country = fields.String(required=True, validate=validate_country)
    region = fields.String(load_default="", validate=validate.Length(max=120))
    size = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf(ORGANISATION_SIZES)
    )
    website = fields.Url(load_default="", validate=validate.Length(max=300))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    sectors = fields.Function(
        lambda organisation: [tag.slug for tag in organisation.tags],
        deserialize=slug_list,
        load_default=list,
        metadata={"description": "Tag slugs of the taxonomy", **SLUG_LIST_DOC},
    )


class OrganisationQueryArgsSchema(Schema):
    type = fields.String(validate=validate.OneOf(ORGANISATION_TYPES))
    country = fields.String(validate=validate_country)
    q = fields.String(validate=validate.Length(max=100))
