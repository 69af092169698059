from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.requests.schemas import RequestPartySchema


class RecommendationQueryArgsSchema(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 50))


class ReasonItemSchema(Schema):
    id = fields.Integer(allow_none=True, metadata={"description": "Opportunity id"})
    kind = fields.String()
    title = fields.String()


class ReasonSchema(Schema):
    kind = fields.String(
        metadata={
            "description": "offer_matches_request, shared_interests, similar_profile, "
            "like_accepted..."
        }
    )
    text = fields.String(metadata={"description": "The reason in words, from your side"})
    strength = fields.Float()
    their_item = fields.Nested(ReasonItemSchema, allow_none=True)
    your_item = fields.Nested(ReasonItemSchema, allow_none=True)
    tags = fields.List(fields.String())
    terms = fields.List(fields.String())


class ScoreBreakdownSchema(Schema):
    they_offer = fields.Float()
    you_offer = fields.Float()
    cooperation = fields.Float()
    interests = fields.Float()
    sectors = fields.Float()
    description = fields.Float()
    feedback = fields.Float(
        metadata={
            "description": "What the event's accepted (+) and declined (-) requests say, "
            "in [-1, 1]; 0 until requests are answered"
        }
    )


class RecommendationSchema(Schema):
    rank = fields.Integer()
    candidate = fields.Nested(RequestPartySchema)
    score = fields.Float()
    is_mutual = fields.Boolean(
        metadata={"description": "Each side has something the other looks for"}
    )
    breakdown = fields.Nested(ScoreBreakdownSchema)
    reasons = fields.List(fields.Nested(ReasonSchema))
