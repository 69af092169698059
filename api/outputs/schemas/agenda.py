from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields


class CalendarQueryArgsSchema(Schema):
    """``token`` is refused with a 401 that points to the feed link (it was accepted once)."""

    class Meta:
        # Apps add their own parameters (cache busters); they are ignored.
        unknown = EXCLUDE

    token = fields.String(
        metadata={"description": "No longer accepted: use the feed link", "deprecated": True}
    )


class FrabQueryArgsSchema(Schema):
    version_id = fields.Integer(
        metadata={
            "description": "An agenda version to export instead of the published one "
            "(drafts: organiser only)"
        }
    )
