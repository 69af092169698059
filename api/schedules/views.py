"""Organiser web pages: review a draft schedule against the published one, and publish."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from api.exceptions import ClustermeetError
from api.extensions import db
from api.models import Meeting, Participant
from api.models.enums import ScheduleKind, ScheduleStatus
from api.schedules.operations import diff_versions, get_version, publish_version, published_version
from api.schedules.read_models import meeting_placements, session_placements
from api.web_session import load_session_principal, organised_event, protect_response
from api.webhooks.operations import emit_publication
from scheduler.meetings.objective import count_breaks

blp = Blueprint(
    "schedules_web",
    __name__,
    url_prefix="/events/<int:event_id>/organise/schedules",
    template_folder="templates",
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)


def _breaks(placements: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Breaks per participant, most first (the solver's own counting)."""
    slots: dict[str, list[int]] = defaultdict(list)
    for item in placements:
        for person in item["participants"]:
            slots[f"{person['name']} ({person['organisation']})"].append(item["slot"])
    counted = [(name, count_breaks(busy)) for name, busy in slots.items()]
    return sorted(counted, key=lambda row: (-row[1], row[0]))


@blp.get("/<int:version_id>")
def review(event_id: int, version_id: int) -> str:
    event = organised_event(event_id)
    version = get_version(event, version_id)
    zone = ZoneInfo(event.timezone)
    current = published_version(event, version.kind)
    compared_to = current if current is not None and current.id != version.id else None
    diff = (
        diff_versions(compared_to, version)
        if version.status == ScheduleStatus.DRAFT
        else version.diff
    )
    if version.kind == ScheduleKind.MEETINGS:
        items = meeting_placements(version)
        breaks = _breaks(items)
    else:
        items = session_placements(version)
        breaks = []
    for item in items:
        item["start"] = item["start_dt"].astimezone(zone)
    unscheduled = []
    for row in version.summary.get("unscheduled", []):
        meeting = db.session.get(Meeting, row["meeting_id"])
        people = [db.session.get(Participant, pid) for pid in row.get("participant_ids", [])]
        unscheduled.append(
            {
                "meeting": meeting,
                "reason": row.get("reason", ""),
                "detail": row.get("detail", ""),
                "people": [p.full_name for p in people if p is not None],
            }
        )
    return render_template(
        "schedules/review.html",
        event=event,
        version=version,
        compared_to=compared_to,
        diff=diff or {},
        items=items,
        breaks=breaks,
        unscheduled=unscheduled,
        is_draft=version.status == ScheduleStatus.DRAFT,
    )


@blp.post("/<int:version_id>/publish")
def publish(event_id: int, version_id: int) -> Response:
    event = organised_event(event_id)
    try:
        version = publish_version(event, get_version(event, version_id))
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("schedules_web.review", event_id=event.id, version_id=version_id))
    emit_publication(event, version)
    flash(_("Version %(n)s is published: participants see it in their agenda.", n=version.number))
    return redirect(url_for("schedules_web.review", event_id=event.id, version_id=version.id))
