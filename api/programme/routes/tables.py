from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from api.events.lookup import get_in_event
from api.extensions import db
from api.http.guards import (
    event_manager_required,
    event_member_required,
    get_managed_event,
    get_member_event,
)
from api.http.pagination import paginate
from api.models import MeetingTable
from api.programme.operations import create_tables, save_table
from api.programme.schemas.tables import (
    MeetingTableBulkSchema,
    MeetingTableQueryArgsSchema,
    MeetingTableSchema,
)

blp = Blueprint(
    "tables",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/tables",
    description="Meeting tables and meeting points; a booth is reserved to an exhibitor",
)


@blp.route("")
class MeetingTableViews(MethodView):
    @event_member_required
    @blp.arguments(MeetingTableQueryArgsSchema, location="query")
    @blp.response(200, MeetingTableSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=1000)
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """List the event's tables (its organiser and participants)."""
        event = get_member_event(event_id)
        query = select(MeetingTable).where(MeetingTable.event_id == event.id)
        if "is_reserved" in args:
            reserved = MeetingTable.reserved_for_id.is_not(None)
            query = query.where(reserved if args["is_reserved"] else ~reserved)
        if "q" in args:
            query = query.where(MeetingTable.name.ilike(f"%{args['q']}%"))
        return paginate(query.order_by(MeetingTable.id), pagination_parameters)

    @event_manager_required
    @blp.arguments(MeetingTableSchema)
    @blp.response(201, MeetingTableSchema)
    def post(self, data: dict[str, Any], event_id: int) -> MeetingTable:
        """Add a table (the event's organiser); names are unique within the event."""
        table = save_table(get_managed_event(event_id), data)
        db.session.commit()
        return table


@blp.route("/bulk")
class MeetingTableBulkViews(MethodView):
    @event_manager_required
    @blp.arguments(MeetingTableBulkSchema)
    @blp.response(201, MeetingTableSchema(many=True))
    def post(self, data: dict[str, Any], event_id: int) -> list[MeetingTable]:
        """Add `count` numbered tables (`T1`..`T20`) at once; a name clash adds none."""
        event = get_managed_event(event_id)
        tables = create_tables(event, data["count"], data["prefix"], data["first"])
        db.session.commit()
        return tables


@blp.route("/<int:table_id>")
class MeetingTableByIdViews(MethodView):
    @event_member_required
    @blp.response(200, MeetingTableSchema)
    def get(self, event_id: int, table_id: int) -> MeetingTable:
        """One table (the event's organiser and participants)."""
        return get_in_event(MeetingTable, get_member_event(event_id), table_id, "Table")

    @event_manager_required
    @blp.arguments(MeetingTableSchema(partial=True))
    @blp.response(200, MeetingTableSchema)
    def patch(self, data: dict[str, Any], event_id: int, table_id: int) -> MeetingTable:
        """Rename a table or change whom it is reserved for (the event's organiser)."""
        event = get_managed_event(event_id)
        table = save_table(event, data, get_in_event(MeetingTable, event, table_id, "Table"))
        db.session.commit()
        return table

    @event_manager_required
    @blp.response(204)
    def delete(self, event_id: int, table_id: int) -> None:
        """Delete a table; meetings placed at it lose their table."""
        event = get_managed_event(event_id)
        db.session.delete(get_in_event(MeetingTable, event, table_id, "Table"))
        db.session.commit()
