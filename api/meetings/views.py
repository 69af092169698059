"""The organisers' on-the-day page: meetings in schedule order with held, no-show and
cancel, and a quick re-solve that keeps every other meeting where it is."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from api.exceptions import ClustermeetError
from api.extensions import db
from api.meetings import operations as on_the_day
from api.meetings.routes import OUTCOME_WEBHOOKS
from api.models.enums import MeetingStatus
from api.models.event_members import Permission
from api.web_session import load_session_principal, organised_event, protect_response
from api.webhooks.operations import emit

blp = Blueprint(
    "day_web",
    __name__,
    url_prefix="/events/<int:event_id>/organise/day",
    template_folder="templates",
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)

OUTCOMES = {
    "held": MeetingStatus.HELD,
    "no-show": MeetingStatus.NO_SHOW,
    "cancel": MeetingStatus.CANCELLED,
}


@blp.get("")
def day(event_id: int) -> str:
    event = organised_event(event_id)
    zone = ZoneInfo(event.timezone)
    rows = [r for r in on_the_day.meeting_rows(event) if r["start_dt"] is not None]
    for row in rows:
        row["start"] = row["start_dt"].astimezone(zone)
    rows.sort(key=lambda r: (r["start_dt"], r["table"] or ""))
    return render_template("meetings/day.html", event=event, rows=rows)


@blp.post("/meetings/<int:meeting_id>/<any(held, 'no-show', cancel):outcome>")
def record(event_id: int, meeting_id: int, outcome: str) -> Response:
    status = OUTCOMES[outcome]
    # As the API: the check-in desk marks attendance; cancelling is managing.
    needed = Permission.MANAGE if status == MeetingStatus.CANCELLED else Permission.ATTENDANCE
    event = organised_event(event_id, needed)
    try:
        meeting = on_the_day.get_meeting(event, meeting_id)
        if status == MeetingStatus.HELD:
            on_the_day.mark_held(event, meeting)
        elif status == MeetingStatus.NO_SHOW:
            on_the_day.mark_no_show(event, meeting)
        else:
            on_the_day.cancel_meeting(meeting)
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("day_web.day", event_id=event.id))
    emit(event, OUTCOME_WEBHOOKS[status], on_the_day.meeting_payload(event, meeting))
    flash(_("Meeting %(id)s: %(status)s.", id=meeting.id, status=status.value.replace("_", " ")))
    return redirect(url_for("day_web.day", event_id=event.id) + f"#meeting-{meeting.id}")


@blp.post("/re-solve")
def re_solve(event_id: int) -> Response:
    event = organised_event(event_id)
    params = {"time_limit": request.form.get("time_limit", type=float) or 10.0}
    try:
        job, pinned = on_the_day.request_resolve(event, params)
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("day_web.day", event_id=event.id))
    flash(_("%(n)d started meetings are pinned; re-solving the rest.", n=pinned))
    return redirect(url_for("organise.job_page", event_id=event.id, job_id=job.id))
