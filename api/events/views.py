"""Public web pages: the home page (open events) and an event's page (agenda, register)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from api.events.operations import apply_event_data, create_event
from api.events.schemas import EventSchema
from api.exceptions import ClustermeetError, InvalidInput, NotFound, Unauthorized
from api.extensions import db
from api.models import Event, Room, ScheduleVersion, Session, SessionPlacement
from api.models.enums import ScheduleKind, ScheduleStatus
from api.web_forms import flatten_errors
from api.web_session import load_session_principal, organised_event, protect_response

blp = Blueprint("home", __name__, template_folder="templates")
MAX_BLOCKS = 60
TEXT_FIELDS = ("slug", "name", "kind", "venue", "description", "timezone", "start_date", "end_date")
blp.before_request(load_session_principal)
blp.after_request(protect_response)


@blp.get("/")
def index() -> str:
    events = db.session.scalars(
        select(Event).where(Event.end_date >= date.today()).order_by(Event.start_date, Event.id)
    ).all()
    organiser = g.get("organiser")
    return render_template(
        "events/index.html",
        open_events=[e for e in events if e.is_registration_open()],
        my_events=[e for e in events if e.can_manage(organiser)] if organiser else [],
    )


@blp.get("/events/<int:event_id>")
def event_page(event_id: int) -> str:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    zone = ZoneInfo(event.timezone)
    published = db.session.scalar(
        select(ScheduleVersion.id).where(
            ScheduleVersion.event_id == event.id,
            ScheduleVersion.kind == ScheduleKind.AGENDA,
            ScheduleVersion.status == ScheduleStatus.PUBLISHED,
        )
    )
    sessions = []
    if published is not None:
        rows = db.session.execute(
            select(SessionPlacement, Session, Room)
            .join(Session, Session.id == SessionPlacement.session_id)
            .join(Room, Room.id == SessionPlacement.room_id)
            .where(SessionPlacement.version_id == published)
            .order_by(SessionPlacement.start_dt, Room.name)
        )
        sessions = [
            {
                "title": session.title,
                "room": room.name,
                "start": placement.start_dt.astimezone(zone),
                "end": placement.end_dt.astimezone(zone),
            }
            for placement, session, room in rows
        ]
    me = g.get("participant")
    return render_template(
        "events/event.html",
        event=event,
        sessions=sessions,
        is_registered=me is not None and me.event_id == event.id,
        is_open=event.is_registration_open(),
    )


BLOCK_LINE = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-\u2013]\s*(\d{1,2}:\d{2})\s*$"
)


def _local_moment(value: str, zone_name: str, field: str, errors: dict[str, str]) -> str | None:
    """A datetime-local input, read in the event's time zone, as ISO 8601 with offset."""
    if not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        return moment.replace(tzinfo=ZoneInfo(zone_name)).isoformat()
    except (ValueError, KeyError, ZoneInfoNotFoundError):
        errors[field] = _("Give a date and time.")
        return None


def _blocks(text: str, errors: dict[str, str]) -> list[dict[str, str]]:
    blocks = []
    for number, line in enumerate(text.splitlines()[:MAX_BLOCKS], start=1):
        if not line.strip():
            continue
        found = BLOCK_LINE.match(line)
        if found is None:
            errors["meeting_settings.blocks"] = _(
                "Line %(n)d: write a day and hours like 2027-03-10 09:30-12:30.", n=number
            )
            continue
        day, start, end = found.groups()
        blocks.append({"day": day, "start": start.zfill(5), "end": end.zfill(5)})
    return blocks


def _event_input(base: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The setup form as the API's event input (over ``base``, the event as it is)."""
    form = request.form
    errors: dict[str, str] = {}
    zone = form.get("timezone", "").strip() or "UTC"
    raw = dict(base)
    for key in (
        "slug",
        "name",
        "kind",
        "venue",
        "description",
        "timezone",
        "start_date",
        "end_date",
    ):
        raw[key] = form.get(key, "").strip()
    for key in ("registration_opens_dt", "registration_closes_dt", "request_deadline_dt"):
        raw[key] = _local_moment(form.get(key, ""), zone, key, errors)
    settings = dict(base.get("meeting_settings") or {})
    length = form.get("meeting_settings_meeting_length_min", "").strip()
    settings["meeting_length_min"] = length or "30"
    for key in ("max_meetings_per_participant", "max_open_requests"):
        settings[key] = form.get(f"meeting_settings_{key}", "").strip() or None
    settings["is_online_allowed"] = form.get("is_online_allowed") == "yes"
    settings["is_auto_accept"] = form.get("is_auto_accept") == "yes"
    settings["blocks"] = _blocks(form.get("blocks", ""), errors)
    raw["meeting_settings"] = settings
    rules = dict(base.get("rules") or {})
    rules["cross_border_only"] = form.get("cross_border_only") == "yes"
    raw["rules"] = rules
    return raw, errors


def _form_values(event: Event | None) -> dict[str, Any]:
    """What the form shows: the event's values, or what was just typed."""
    if request.method == "POST":
        return dict(request.form.items())
    if event is None:
        return {
            "timezone": "Europe/Brussels",
            "meeting_length_min": "30",
            "is_online_allowed": "yes",
        }
    zone = ZoneInfo(event.timezone)

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if moment else ""

    return {
        "slug": event.slug,
        "name": event.name,
        "kind": event.kind,
        "venue": event.venue,
        "description": event.description,
        "timezone": event.timezone,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "registration_opens_dt": local(event.registration_opens_dt),
        "registration_closes_dt": local(event.registration_closes_dt),
        "request_deadline_dt": local(event.request_deadline_dt),
        "meeting_settings_meeting_length_min": str(event.meeting_length_min),
        "meeting_settings_max_meetings_per_participant": str(
            event.max_meetings_per_participant or ""
        ),
        "meeting_settings_max_open_requests": str(event.max_open_requests or ""),
        "is_online_allowed": "yes" if event.is_online_allowed else "",
        "is_auto_accept": "yes" if event.is_auto_accept else "",
        "cross_border_only": "yes" if (event.rules or {}).get("cross_border_only") else "",
        "blocks": "\n".join(
            f"{b.day.isoformat()} {b.start_time.strftime('%H:%M')}-{b.end_time.strftime('%H:%M')}"
            for b in event.meeting_blocks
        ),
    }


def _save(event: Event | None) -> Any:
    organiser = g.get("organiser")
    if organiser is None:
        raise Unauthorized(_("Sign in with your organiser API key."))
    base = EventSchema().dump(event) if event is not None else {}
    base.pop("id", None)
    base.pop("is_registration_open", None)
    raw, errors = _event_input(base)
    try:
        data = EventSchema().load(raw)
    except ValidationError as exc:
        errors = {**flatten_errors(exc.messages), **errors}
    if not errors:
        try:
            if event is None:
                event = create_event(organiser, data)
            else:
                apply_event_data(event, data)
            db.session.commit()
        except InvalidInput as exc:
            db.session.rollback()
            errors = flatten_errors(exc.errors)
        except ClustermeetError as exc:
            db.session.rollback()
            errors = {"slug": str(exc)}
    if errors:
        return render_template(
            "events/setup.html", event=event, values=_form_values(event), errors=errors
        ), 422
    assert event is not None
    flash(_("The event is saved."))
    return redirect(url_for("organise.dashboard", event_id=event.id))


@blp.route("/events/new", methods=["GET", "POST"])
def new_event() -> Any:
    if g.get("organiser") is None:
        raise Unauthorized(_("Sign in with your organiser API key."))
    if request.method == "POST":
        return _save(None)
    return render_template("events/setup.html", event=None, values=_form_values(None), errors={})


@blp.route("/events/<int:event_id>/organise/settings", methods=["GET", "POST"])
def event_settings(event_id: int) -> Any:
    event = organised_event(event_id)
    if request.method == "POST":
        return _save(event)
    return render_template("events/setup.html", event=event, values=_form_values(event), errors={})
