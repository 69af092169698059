"""The participant's own agenda in the browser: meetings and sessions in their time zone,
the partner's local time, table or video link, the .ics, session sign-ups, feedback after
a meeting and a QR code the check-in desk scans."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from api.accounts.feeds import participant_feed, rotate_participant_feed
from api.accounts.routes import feed_urls
from api.exceptions import ClustermeetError, Forbidden, NotFound
from api.extensions import db
from api.meetings.operations import get_meeting, write_feedback
from api.models import Event, Meeting, Participant, Session, SignUp
from api.models.enums import MeetingStatus, SignUpKind
from api.models.types import now_utc
from api.outputs.calendars import participant_calendar
from api.programme.operations import sign_up
from api.schedules.read_models import personal_schedule
from api.web_session import load_session_principal, participant_of, protect_response

blp = Blueprint(
    "agenda_web", __name__, url_prefix="/events/<int:event_id>", template_folder="templates"
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)

MAX_FEEDBACK = 2000


def check_in_code(participant: Participant) -> str:
    """A signed code naming the participant, for the check-in desk's scanner."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="clustermeet-check-in")
    return serializer.dumps({"e": participant.event_id, "p": participant.id})


def _qr_svg(text: str) -> Markup:
    svg = segno.make(text, error="m").svg_inline(scale=4, title=_("Check-in code"), dark="#000")
    # segno builds the SVG itself from the URL (XML-escaped), so it is safe markup.
    return Markup(svg)


def _rows(event: Event, me: Participant) -> list[dict[str, Any]]:
    schedule = personal_schedule(event, me)
    zone = ZoneInfo(schedule["timezone"])
    meeting_ids = [i["meeting_id"] for i in schedule["items"] if i["meeting_id"]]
    meetings = {
        m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids)))
    }
    now = now_utc()
    rows = []
    for item in schedule["items"]:
        row: dict[str, Any] = {
            "kind": item["kind"],
            "start": item["start_dt"].astimezone(zone),
            "end": item["end_dt"].astimezone(zone),
            "title": item["title"],
            "where": item["where"],
            "is_link": str(item["where"]).startswith(("https://", "http://")),
        }
        meeting = meetings.get(item["meeting_id"]) if item["meeting_id"] else None
        if meeting is not None:
            partner = (
                meeting.participant_b
                if meeting.participant_a_id == me.id
                else meeting.participant_a
            )
            partner_zone = partner.timezone or event.timezone
            row.update(
                meeting=meeting,
                partner=partner,
                partner_zone=partner_zone if partner_zone != schedule["timezone"] else None,
                partner_start=item["start_dt"].astimezone(ZoneInfo(partner_zone)),
                feedback=meeting.feedback_a
                if meeting.participant_a_id == me.id
                else meeting.feedback_b,
                can_give_feedback=item["end_dt"] <= now
                and meeting.status not in (MeetingStatus.CANCELLED,),
            )
        rows.append(row)
    return rows


def _calendar_links(me: Participant) -> dict[str, str]:
    """The participant's calendar feed: https to copy, webcal:// for a one-click subscribe.

    The feed secret is made on first use (and committed), so the address stays the same
    until the participant asks for a new one.
    """
    feed = participant_feed(me)
    db.session.commit()
    https = feed_urls(feed)["calendar"]
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@blp.get("/me/agenda")
def my_agenda(event_id: int) -> str:
    event, me = participant_of(event_id)
    calendar = _calendar_links(me)
    signed = set(
        db.session.scalars(select(SignUp.session_id).where(SignUp.participant_id == me.id))
    )
    zone = ZoneInfo(me.timezone or event.timezone)
    open_sessions = [
        {"session": s, "start": s.start_dt.astimezone(zone) if s.start_dt else None}
        for s in db.session.scalars(
            select(Session)
            .where(Session.event_id == event.id)
            .order_by(Session.start_dt, Session.title)
        )
        if s.id not in signed
    ]
    return render_template(
        "agenda/my_agenda.html",
        event=event,
        me=me,
        timezone=me.timezone or event.timezone,
        rows=_rows(event, me),
        calendar=calendar,
        open_sessions=open_sessions,
        qr=_qr_svg(
            url_for(
                "agenda_web.check_in", event_id=event.id, code=check_in_code(me), _external=True
            )
        ),
        generated=datetime.now(zone),
    )


@blp.get("/me/agenda.ics")
def my_calendar(event_id: int) -> Response:
    event, me = participant_of(event_id)
    response = Response(
        participant_calendar(event, me), content_type="text/calendar; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.post("/me/calendar-address")
def new_calendar_address(event_id: int) -> WerkzeugResponse:
    """A new feed address; the old one stops working (a calendar shared by mistake)."""
    event, me = participant_of(event_id)
    rotate_participant_feed(me)
    db.session.commit()
    flash(_("Your calendar has a new address; the old one stopped working."))
    return redirect(url_for("agenda_web.my_agenda", event_id=event.id, _anchor="calendar"))


@blp.post("/me/signups")
def add_signup(event_id: int) -> WerkzeugResponse:
    event, me = participant_of(event_id)
    kind = SignUpKind.INTEREST if request.form.get("kind") == "interest" else SignUpKind.ATTEND
    session = db.session.get(Session, request.form.get("session_id", type=int) or -1)
    if session is None or session.event_id != event.id:
        flash(_("No such session."), "error")
        return redirect(url_for("agenda_web.my_agenda", event_id=event.id))
    try:
        sign_up(session, me, kind)
        db.session.commit()
        flash(_("You are signed up for “%(title)s”.", title=session.title))
    except ClustermeetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("agenda_web.my_agenda", event_id=event.id))


@blp.post("/me/meetings/<int:meeting_id>/feedback")
def feedback(event_id: int, meeting_id: int) -> WerkzeugResponse:
    event, me = participant_of(event_id)
    text = request.form.get("feedback", "").strip()[:MAX_FEEDBACK]
    try:
        write_feedback(get_meeting(event, meeting_id), me, text)
        db.session.commit()
        flash(_("Thank you for your feedback."))
    except ClustermeetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("agenda_web.my_agenda", event_id=event.id))


@blp.get("/check-in/<code>")
def check_in(event_id: int, code: str) -> str:
    """Where the QR code points: the event's organiser sees who it is and their meetings."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    if not event.can_manage(g.get("organiser")):
        raise Forbidden(_("The check-in desk (the event's organisers) reads this code."))
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="clustermeet-check-in")
    try:
        data = serializer.loads(code)
    except BadSignature as exc:
        raise NotFound(_("This check-in code is not valid.")) from exc
    person = db.session.get(Participant, data.get("p")) if isinstance(data, dict) else None
    if person is None or person.event_id != event.id:
        raise NotFound(_("This check-in code is not valid."))
    return render_template(
        "agenda/check_in.html", event=event, person=person, rows=_rows(event, person)
    )
