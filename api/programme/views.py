"""The organisers' programme page: rooms and sessions, before the agenda solve."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from sqlalchemy import select

from api.exceptions import ClustermeetError, InvalidInput
from api.extensions import db
from api.models import Event, Room, Session
from api.models.enums import SessionKind
from api.programme.operations import save_room, save_session
from api.programme.schemas.rooms import RoomSchema
from api.programme.schemas.sessions import SessionSchema
from api.web_forms import flatten_errors
from api.web_session import load_session_principal, organised_event, protect_response

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


def _save(event: Event, schema: Schema, raw: dict[str, Any], prefix: str, what: str) -> Any:
    try:
        data = schema.load(raw)
        if prefix == "room.":
            save_room(event, data)
        else:
            save_session(event, data)
        db.session.commit()
    except ValidationError as exc:
        return _page(event, flatten_errors(exc.messages, prefix), 422)
    except InvalidInput as exc:
        db.session.rollback()
        return _page(event, flatten_errors(exc.errors, prefix), 422)
    except ClustermeetError as exc:
        db.session.rollback()
        return _page(event, {f"{prefix}name": str(exc)}, 422)
    flash(what)
    return redirect(url_for("programme_web.programme", event_id=event.id))


@blp.get("")
def programme(event_id: int) -> Any:
    return _page(organised_event(event_id), {})


@blp.post("/rooms")
def add_room(event_id: int) -> Any:
    event = organised_event(event_id)
    raw = {
        "name": request.form.get("name", "").strip(),
        "capacity": _whole_number(request.form.get("capacity", "")),
    }
    return _save(event, RoomSchema(), raw, "room.", _("Room added."))


@blp.post("/sessions")
def add_session(event_id: int) -> Any:
    event = organised_event(event_id)
    raw = {
        "title": request.form.get("title", "").strip(),
        "kind": request.form.get("kind", ""),
        "theme": request.form.get("theme", "").strip(),
        "length_min": _whole_number(request.form.get("length_min", "")),
    }
    return _save(event, SessionSchema(), raw, "session.", _("Session added."))
