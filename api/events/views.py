"""Public web pages: the home page (open events) and an event's page (agenda, register)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, g, render_template
from sqlalchemy import select

from api.exceptions import NotFound
from api.extensions import db
from api.models import Event, Room, ScheduleVersion, Session, SessionPlacement
from api.models.enums import ScheduleKind, ScheduleStatus
from api.web_session import load_session_principal, protect_response

blp = Blueprint("home", __name__, template_folder="templates")
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
