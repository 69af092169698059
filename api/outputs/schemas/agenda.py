from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields


class CalendarQueryArgsSchema(Schema):
    """Calendar apps subscribe by URL, without headers: the token may be a parameter."""

    class Meta:
        # Apps add their own parameters (cache busters); they are ignored.
        unknown = EXCLUDE

    token = fields.String(
        metadata={"description": "The participant's access token, instead of the header"}
    )


class FrabQueryArgsSchema(Schema):
    version_id = fields.Integer(
        metadata={
            "description": "An agenda version to export instead of the published one "
            "(drafts: organiser only)"
        }
    )
