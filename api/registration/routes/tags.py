from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import or_, select

from api.events.lookup import get_in_event
from api.extensions import db
from api.http.guards import event_manager_required, get_event, get_managed_event
from api.http.openapi import public
from api.http.pagination import paginate
from api.models import Tag
from api.registration.schemas.tags import TagQueryArgsSchema, TagSchema
from api.registration.tags import save_tag

blp = Blueprint(
    "tags",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/tags",
    description="The event's taxonomy: themes, sectors and technologies",
)


@blp.route("")
class TagViews(MethodView):
    @public
    @blp.arguments(TagQueryArgsSchema, location="query")
    @blp.response(200, TagSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=1000)
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """List the event's tags (public); filter by `kind`, search slug and label with `q`."""
        event = get_event(event_id)
        query = select(Tag).where(Tag.event_id == event.id).order_by(Tag.kind, Tag.slug)
        if "kind" in args:
            query = query.where(Tag.kind == args["kind"])
        if "q" in args:
            pattern = f"%{args['q']}%"
            query = query.where(or_(Tag.slug.ilike(pattern), Tag.label.ilike(pattern)))
        return paginate(query, pagination_parameters)

    @event_manager_required
    @blp.arguments(TagSchema)
    @blp.response(201, TagSchema)
    def post(self, data: dict[str, Any], event_id: int) -> Tag:
        """Add a tag (the event's organiser); the slug is unique within the event."""
        tag = save_tag(get_managed_event(event_id), data)
        db.session.commit()
        return tag


@blp.route("/<int:tag_id>")
class TagByIdViews(MethodView):
    @public
    @blp.response(200, TagSchema)
    def get(self, event_id: int, tag_id: int) -> Tag:
        """One tag (public)."""
        return get_in_event(Tag, get_event(event_id), tag_id, "Tag")

    @event_manager_required
    @blp.arguments(TagSchema(partial=True))
    @blp.response(200, TagSchema)
    def patch(self, data: dict[str, Any], event_id: int, tag_id: int) -> Tag:
        """Change a tag (the event's organiser)."""
        event = get_managed_event(event_id)
        tag = save_tag(event, data, get_in_event(Tag, event, tag_id, "Tag"))
        db.session.commit()
        return tag

    @event_manager_required
    @blp.response(204)
    def delete(self, event_id: int, tag_id: int) -> None:
        """Delete a tag; it disappears from the profiles and opportunities that used it."""
        event = get_managed_event(event_id)
        db.session.delete(get_in_event(Tag, event, tag_id, "Tag"))
        db.session.commit()
