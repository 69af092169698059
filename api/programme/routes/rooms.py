from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from api.events.lookup import get_in_event
from api.extensions import db
from api.http.guards import event_manager_required, get_event, get_managed_event
from api.http.openapi import public
from api.models import Room
from api.programme.operations import save_room
from api.programme.schemas.rooms import RoomQueryArgsSchema, RoomSchema

blp = Blueprint(
    "rooms",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/rooms",
    description="Rooms with their capacity and features",
)


@blp.route("")
class RoomViews(MethodView):
    @public
    @blp.arguments(RoomQueryArgsSchema, location="query")
    @blp.response(200, RoomSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=1000)
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """List the event's rooms (public); `min_capacity` and `feature` filter them."""
        event = get_event(event_id)
        query = select(Room).where(Room.event_id == event.id).order_by(Room.name, Room.id)
        if "min_capacity" in args:
            query = query.where(Room.capacity >= args["min_capacity"])
        rooms = list(db.session.scalars(query))
        if "feature" in args:
            # Features are a JSON list; filtering in Python works the same on every database.
            rooms = [room for room in rooms if args["feature"] in (room.features or [])]
        pagination_parameters.item_count = len(rooms)
        start = (pagination_parameters.page - 1) * pagination_parameters.page_size
        return rooms[start : start + pagination_parameters.page_size]

    @event_manager_required
    @blp.arguments(RoomSchema)
    @blp.response(201, RoomSchema)
    def post(self, data: dict[str, Any], event_id: int) -> Room:
        """Add a room (the event's organiser); names are unique within the event."""
        room = save_room(get_managed_event(event_id), data)
        db.session.commit()
        return room


@blp.route("/<int:room_id>")
class RoomByIdViews(MethodView):
    @public
    @blp.response(200, RoomSchema)
    def get(self, event_id: int, room_id: int) -> Room:
        """One room (public)."""
        return get_in_event(Room, get_event(event_id), room_id, "Room")

    @event_manager_required
    @blp.arguments(RoomSchema(partial=True))
    @blp.response(200, RoomSchema)
    def patch(self, data: dict[str, Any], event_id: int, room_id: int) -> Room:
        """Change a room (the event's organiser)."""
        event = get_managed_event(event_id)
        room = save_room(event, data, get_in_event(Room, event, room_id, "Room"))
        db.session.commit()
        return room

    @event_manager_required
    @blp.response(204)
    def delete(self, event_id: int, room_id: int) -> None:
        """Delete a room; its sessions keep their time and lose their room."""
        event = get_managed_event(event_id)
        room = get_in_event(Room, event, room_id, "Room")
        db.session.delete(room)
        db.session.commit()
