from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.outputs.tables import DELIMITERS


class CsvArgsSchema(Schema):
    delimiter = fields.String(
        load_default="comma",
        validate=validate.OneOf(tuple(DELIMITERS)),
        metadata={
            "description": "Between columns: `semicolon` opens in one click in Excel set to "
            "a European locale (Belgium, France, Germany)"
        },
    )
