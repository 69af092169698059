"""A participant's data export and erasure (the participant themself or the organiser)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.extensions import db
from api.http.guards import (
    event_member_required,
    get_event_participant,
    get_member_event,
    require_participant_editor,
)
from api.privacy.data_export import participant_data
from api.privacy.erasure import erase_participant

blp = Blueprint(
    "privacy",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/participants/<int:participant_id>",
    description="Privacy: a participant's data export and erasure",
)


@blp.route("")
class ParticipantErasureViews(MethodView):
    @event_member_required
    @blp.response(204)
    def delete(self, event_id: int, participant_id: int) -> None:
        """Delete a participant and their data (the participant themself or the organiser)."""
        participant = get_event_participant(get_member_event(event_id), participant_id)
        require_participant_editor(participant)
        erase_participant(participant)
        db.session.commit()


@blp.route("/data-export")
class ParticipantDataViews(MethodView):
    @event_member_required
    @blp.response(200)
    def get(self, event_id: int, participant_id: int) -> dict[str, Any]:
        """Everything stored about a participant, as JSON (themself or the organiser)."""
        participant = get_event_participant(get_member_event(event_id), participant_id)
        require_participant_editor(participant)
        return participant_data(participant)
