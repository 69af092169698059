"""The organisers' programme page: rooms and sessions, before the agenda solve."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from sqlalchemy import select
from werkzeug.wrappers import Response

from api.exceptions import ClustermeetError, InvalidInput, NotFound
from api.extensions import db
from api.models import Event, Room, Session
from api.models.enums import SessionKind
from api.models.event_members import Permission
from api.programme.operations import save_room, save_session
from api.programme.schemas.rooms import RoomSchema
from api.programme.schemas.sessions import SessionSchema
from api.web_forms import flatten_errors
from api.web_session import (
    load_session_principal,
    organised_event,
    protect_response,
)

blp = Blueprint(
    "programme_web",
    __name__,
    url_prefix="/events/<int:event_id>/organise/programme",
    template_folder="templates",
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)


def _whole_number(value: str) -> int | str:
    """A form's number as an int; anything else stays text, which the schema refuses."""
    try:
        return int(value.strip())
    except ValueError:
        return value


def _page(event: Event, errors: dict[str, str], status: int = 200) -> Any:
    rooms = db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.name))
    sessions = db.session.scalars(
        select(Session).where(Session.event_id == event.id).order_by(Session.title)
    )
    return render_template(
        "programme/programme.html",
        event=event,
        rooms=list(rooms),
        sessions=list(sessions),
        kinds=[k.value for k in SessionKind],
        errors=errors,
        form=request.form,
    ), status


def _managed(event_id: int) -> Event:
    """The event, if the signed-in organiser may change it (the edit pages too)."""
    return organised_event(event_id, Permission.MANAGE)


def _room_input() -> dict[str, Any]:
    return {
        "name": request.form.get("room_name", "").strip(),
        "capacity": _whole_number(request.form.get("room_capacity", "")),
    }


def _session_input() -> dict[str, Any]:
    return {
        "title": request.form.get("session_title", "").strip(),
        "kind": request.form.get("kind", ""),
        "theme": request.form.get("session_theme", "").strip(),
        "length_min": _whole_number(request.form.get("session_length_min", "")),
    }


def _edit_page(
    event: Event, item: Room | Session, errors: dict[str, str], status: int = 200
) -> Any:
    template = "programme/room.html" if isinstance(item, Room) else "programme/session.html"
    return render_template(
        template,
        event=event,
        item=item,
        kinds=[k.value for k in SessionKind],
        errors=errors,
        form=request.form if request.method == "POST" else None,
    ), status


def _save(
    event: Event,
    schema: Schema,
    raw: dict[str, Any],
    prefix: str,
    what: str,
    item: Room | Session | None = None,
) -> Any:
    def refused(errors: dict[str, str]) -> Any:
        if item is None:
            return _page(event, errors, 422)
        return _edit_page(event, item, errors, 422)

    try:
        data = schema.load(raw)
        if prefix == "room.":
            save_room(event, data, item if isinstance(item, Room) else None)
        else:
            save_session(event, data, item if isinstance(item, Session) else None)
        db.session.commit()
    except ValidationError as exc:
        return refused(flatten_errors(exc.messages, prefix))
    except InvalidInput as exc:
        db.session.rollback()
        return refused(flatten_errors(exc.errors, prefix))
    except ClustermeetError as exc:
        db.session.rollback()
        return refused({f"{prefix}{'name' if prefix == 'room.' else 'title'}": str(exc)})
    flash(what)
    return redirect(url_for("programme_web.programme", event_id=event.id))


@blp.get("")
def programme(event_id: int) -> Any:
    return _page(organised_event(event_id), {})


@blp.post("/rooms")
def add_room(event_id: int) -> Any:
    event = _managed(event_id)
    return _save(event, RoomSchema(), _room_input(), "room.", _("Room added."))


@blp.post("/sessions")
def add_session(event_id: int) -> Any:
    event = _managed(event_id)
    return _save(event, SessionSchema(), _session_input(), "session.", _("Session added."))


def _room(event: Event, room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or room.event_id != event.id:
        raise NotFound("Room not found")
    return room


def _session(event: Event, session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or session.event_id != event.id:
        raise NotFound("Session not found")
    return session


@blp.route("/rooms/<int:room_id>", methods=["GET", "POST"])
def edit_room(event_id: int, room_id: int) -> Any:
    event = _managed(event_id)
    room = _room(event, room_id)
    if request.method == "GET":
        return _edit_page(event, room, {})
    return _save(event, RoomSchema(), _room_input(), "room.", _("Room saved."), room)


@blp.post("/rooms/<int:room_id>/delete")
def delete_room(event_id: int, room_id: int) -> Response:
    """As the API: the room's sessions keep their time and lose their room."""
    event = _managed(event_id)
    room = _room(event, room_id)
    name = room.name
    db.session.delete(room)
    db.session.commit()
    flash(_("Room %(name)s deleted.", name=name))
    return redirect(url_for("programme_web.programme", event_id=event.id))


@blp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
def edit_session(event_id: int, session_id: int) -> Any:
    event = _managed(event_id)
    session = _session(event, session_id)
    if request.method == "GET":
        return _edit_page(event, session, {})
    return _save(event, SessionSchema(), _session_input(), "session.", _("Session saved."), session)


@blp.post("/sessions/<int:session_id>/delete")
def delete_session(event_id: int, session_id: int) -> Response:
    """As the API: the session goes with its speakers and sign-ups."""
    event = _managed(event_id)
    session = _session(event, session_id)
    title = session.title
    db.session.delete(session)
    db.session.commit()
    flash(_("Session %(title)s deleted.", title=title))
    return redirect(url_for("programme_web.programme", event_id=event.id))
