from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.http.guards import (
    event_member_required,
    get_event_participant,
    get_member_event,
    require_participant_editor,
)
from api.recommendations.operations import ExplainedRecommendation, recommendations_for
from api.recommendations.schemas import (
    RecommendationQueryArgsSchema,
    RecommendationSchema,
)

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/participants/<int:participant_id>/recommendations",
    description="Explained recommendations: whom to meet and why",
)


@blp.route("")
class RecommendationViews(MethodView):
    @event_member_required
    @blp.arguments(RecommendationQueryArgsSchema, location="query")
    @blp.response(200, RecommendationSchema(many=True))
    def get(
        self, args: dict[str, Any], event_id: int, participant_id: int
    ) -> list[ExplainedRecommendation]:
        """Whom a participant should meet (the participant themself or the organiser).

        Mutual interest first, then by score; each candidate comes with its score, the
        score's components and the reasons in words and in fields. The organiser's
        rules apply (cross-border only, allowed organisation type and group pairs); never
        the same organisation, never a pair that met, will meet, or where one declined.
        """
        event = get_member_event(event_id)
        participant = get_event_participant(event, participant_id)
        require_participant_editor(participant)
        return recommendations_for(event, participant, args["limit"])
