"""The participant's recommendations page: who to meet and why, one click to ask."""

from __future__ import annotations

from flask import Blueprint, render_template

from api.recommendations.operations import recommendations_for
from api.web_session import load_session_principal, participant_of, protect_response

blp = Blueprint(
    "recommendations_web",
    __name__,
    url_prefix="/events/<int:event_id>",
    template_folder="templates",
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)

SHOWN = 20


@blp.get("/recommendations")
def recommendations(event_id: int) -> str:
    event, me = participant_of(event_id)
    found = recommendations_for(event, me, SHOWN)
    return render_template("recommendations/list.html", event=event, me=me, found=found)
