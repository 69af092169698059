"""Participant web pages for meeting requests: ask, and the inbox to accept or decline.

Each action calls the operation the API calls; its refusal (the deadline passed, a cap
reached, a rule of the event) is shown to the person in the operation's own words.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from api.exceptions import ClustermeetError, InvalidInput
from api.extensions import db
from api.models import MeetingRequest
from api.requests.answers import decline_with_message
from api.requests.operations import (
    accept_request,
    create_request,
    get_request,
    shown_status,
)
from api.requests.schemas import MeetingRequestSchema
from api.web_forms import flatten_errors
from api.web_session import load_session_principal, participant_of, protect_response

blp = Blueprint(
    "requests_web", __name__, url_prefix="/events/<int:event_id>", template_folder="templates"
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)

STATUS_LABELS = {
    "pending": _l("pending"),
    "accepted": _l("accepted"),
    "declined": _l("declined"),
    "cancelled": _l("cancelled"),
    "expired": _l("expired"),
}


def _refusal(exc: ClustermeetError) -> str:
    if isinstance(exc, InvalidInput):
        return " ".join(
            str(m)
            for messages in exc.errors.values()
            for m in (messages if isinstance(messages, list) else [messages])
        )
    return str(exc)


@blp.post("/requests")
def create(event_id: int) -> Response:
    event, me = participant_of(event_id)
    raw = {
        "invitee_id": request.form.get("invitee_id", ""),
        "message": request.form.get("message", "").strip(),
    }
    try:
        data = MeetingRequestSchema(only=("invitee_id", "message")).load(raw)
    except ValidationError as exc:
        reasons = " ".join(flatten_errors(exc.messages).values())
        flash(_("Your request was not sent: %(reason)s", reason=reasons), "error")
        return redirect(url_for("requests_web.inbox", event_id=event.id))
    try:
        _request, is_new = create_request(event, me, data["invitee_id"], data["message"])
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(_("Your request was not sent: %(reason)s", reason=_refusal(exc)), "error")
        return redirect(url_for("requests_web.inbox", event_id=event.id))
    flash(
        _("Request sent.") if is_new else _("They had asked you already: you now have a meeting.")
    )
    return redirect(url_for("requests_web.inbox", event_id=event.id))


@blp.get("/requests")
def inbox(event_id: int) -> str:
    event, me = participant_of(event_id)
    rows = db.session.scalars(
        select(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            or_(MeetingRequest.requester_id == me.id, MeetingRequest.invitee_id == me.id),
        )
        .order_by(MeetingRequest.created_dt.desc())
    ).all()
    shown: list[dict[str, Any]] = [
        {"request": r, "status": shown_status(r), "is_incoming": r.invitee_id == me.id}
        for r in rows
    ]
    return render_template(
        "requests/inbox.html",
        event=event,
        me=me,
        incoming=[r for r in shown if r["is_incoming"] and r["status"] == "pending"],
        outgoing=[r for r in shown if not r["is_incoming"] and r["status"] == "pending"],
        answered=[r for r in shown if r["status"] != "pending"],
        status_labels=STATUS_LABELS,
        caps={
            "max_open_requests": event.max_open_requests,
            "max_meetings": event.max_meetings_per_participant,
            "deadline": event.request_deadline_dt,
        },
    )


@blp.post("/requests/<int:request_id>/<any(accept, decline):answer>")
def answer(event_id: int, request_id: int, answer: str) -> Response:
    event, me = participant_of(event_id)
    try:
        meeting_request = get_request(event, request_id, me)
        if answer == "accept":
            accept_request(event, meeting_request, me)
        else:
            decline_with_message(meeting_request, me, request.form.get("message", ""))
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(_("That did not work: %(reason)s", reason=_refusal(exc)), "error")
        return redirect(url_for("requests_web.inbox", event_id=event.id))
    flash(_("Accepted: the meeting will be scheduled.") if answer == "accept" else _("Declined."))
    return redirect(url_for("requests_web.inbox", event_id=event.id))
