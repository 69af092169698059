from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.http.guards import event_manager_required, get_managed_event
from api.outputs.schemas.stats import EventStatsSchema
from api.outputs.stats import event_stats

blp = Blueprint(
    "stats",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/stats",
    description="Organiser statistics; the same figures as charts at /events/<id>/stats",
)


@blp.route("")
class EventStatsViews(MethodView):
    @event_manager_required
    @blp.response(200, EventStatsSchema)
    def get(self, event_id: int) -> dict[str, Any]:
        """Registrations by country, type and sector; requests and acceptance rate;
        meetings scheduled, held, no-shows; breaks per participant; table use per slot."""
        stats = event_stats(get_managed_event(event_id))
        for row in stats["tables"]["utilisation_per_slot"]:
            row["start_dt"] = row["start_dt"].isoformat()
        return stats
