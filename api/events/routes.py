from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from marshmallow import ValidationError
from sqlalchemy import or_, select

from api.events.operations import apply_event_data, create_event
from api.events.schemas import EventQueryArgsSchema, EventSchema, SlotSchema
from api.events.slots import event_slots
from api.exceptions import InvalidInput
from api.extensions import db
from api.http.guards import (
    event_manager_required,
    get_event,
    get_managed_event,
    organiser_required,
    require_organiser,
)
from api.http.openapi import public
from api.http.pagination import paginate
from api.models import Event

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Events")


@blp.route("")
class EventViews(MethodView):
    @public
    @blp.arguments(EventQueryArgsSchema, location="query")
    @blp.response(200, EventSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """List events; `mine=true` lists the calling organiser's events only."""
        query = select(Event).order_by(Event.start_date, Event.id)
        if "kind" in args:
            query = query.where(Event.kind == args["kind"])
        if "q" in args:
            pattern = f"%{args['q']}%"
            query = query.where(or_(Event.name.ilike(pattern), Event.slug.ilike(pattern)))
        if args["mine"]:
            organiser = require_organiser()
            query = query.where(Event.organiser_id == organiser.id)
        return paginate(query, pagination_parameters)

    @organiser_required
    @blp.arguments(EventSchema)
    @blp.response(201, EventSchema)
    def post(self, data: dict[str, Any]) -> Event:
        """Create an event (organisers)."""
        event = create_event(require_organiser(), data)
        db.session.commit()
        return event


@blp.route("/<int:event_id>")
class EventByIdViews(MethodView):
    @public
    @blp.response(200, EventSchema)
    def get(self, event_id: int) -> Event:
        """An event's public description."""
        return get_event(event_id)

    @event_manager_required
    @blp.arguments(EventSchema(partial=True))
    @blp.response(200, EventSchema)
    def patch(self, _data: dict[str, Any], event_id: int) -> Event:
        """Change an event; the merged result is validated as a whole."""
        event = get_managed_event(event_id)
        merged = _as_input(event)
        raw = request.get_json()
        for key, value in raw.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        try:
            data = EventSchema().load(merged)
        except ValidationError as exc:
            raise InvalidInput(exc.normalized_messages()) from exc
        apply_event_data(event, data)
        db.session.commit()
        return event

    @blp.response(204)
    def delete(self, event_id: int) -> None:
        """Delete an event and everything in it."""
        event = get_managed_event(event_id)
        db.session.delete(event)
        db.session.commit()


@blp.route("/<int:event_id>/slots")
class EventSlotViews(MethodView):
    @public
    @blp.response(200, SlotSchema(many=True))
    def get(self, event_id: int) -> Any:
        """The event's meeting slots, derived from its meeting blocks and meeting length."""
        return event_slots(get_event(event_id))


def _as_input(event: Event) -> dict[str, Any]:
    """The event in the shape clients send, so a PATCH can be merged and re-validated."""
    dumped: dict[str, Any] = EventSchema().dump(event)
    dumped.pop("id", None)
    dumped.pop("is_registration_open", None)
    if dumped.get("programme_settings") is None:
        dumped.pop("programme_settings", None)
    # Virtual room links are never shown, so a PATCH keeps them unless it sends new ones.
    settings = dumped.get("meeting_settings") or {}
    settings.pop("virtual_room_count", None)
    settings["virtual_rooms"] = list(event.virtual_rooms or [])
    return dumped
