from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import func, or_, select

from api.exceptions import Forbidden, InvalidInput, NotFound
from api.extensions import db
from api.http.guards import event_member_required, get_member_event
from api.http.pagination import paginate
from api.http.principal import current_participant, organiser_may
from api.models import Event, Opportunity, Participant, Tag
from api.registration.operations import add_opportunity
from api.registration.schemas.opportunities import OpportunityQueryArgsSchema, OpportunitySchema
from api.registration.tags import resolve_tags

blp = Blueprint(
    "opportunities",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/opportunities",
    description="Marketplace: offers, requests, cooperation, investment, partner search",
)


def _owner_for_new_item(event: Event, data: dict[str, Any]) -> Participant:
    participant = current_participant()
    if participant is not None:
        if data.get("participant_id", participant.id) != participant.id:
            raise Forbidden("Participants publish opportunities for themselves only")
        return participant
    if "participant_id" not in data:
        raise InvalidInput({"participant_id": ["Required when an organiser publishes."]})
    owner = db.session.get(Participant, data["participant_id"])
    if owner is None or owner.event_id != event.id:
        raise InvalidInput({"participant_id": ["No such participant in this event."]})
    return owner


def _get_editable(event: Event, opportunity_id: int) -> Opportunity:
    item = db.session.get(Opportunity, opportunity_id)
    if item is None or item.event_id != event.id:
        raise NotFound("Opportunity not found")
    participant = current_participant()
    if not organiser_may(event) and (participant is None or participant.id != item.participant_id):
        raise Forbidden("Only its author or the organiser may change an opportunity")
    return item


@blp.route("")
class OpportunityViews(MethodView):
    @event_member_required
    @blp.arguments(OpportunityQueryArgsSchema, location="query")
    @blp.response(200, OpportunitySchema(many=True))
    @blp.paginate()
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """The event's marketplace (items of public profiles, and one's own)."""
        event = get_member_event(event_id)
        query = (
            select(Opportunity)
            .join(Participant)
            .where(Opportunity.event_id == event.id)
            .order_by(Opportunity.created_dt.desc(), Opportunity.id.desc())
        )
        viewer = current_participant()
        if not organiser_may(event):
            own = Participant.id == (viewer.id if viewer else -1)
            query = query.where(or_(Participant.is_public.is_(True), own))
        if "kind" in args:
            query = query.where(Opportunity.kind == args["kind"])
        if "participant_id" in args:
            query = query.where(Opportunity.participant_id == args["participant_id"])
        if "tag" in args:
            query = query.where(Opportunity.tags.any(Tag.slug == args["tag"]))
        if "q" in args:
            pattern = f"%{args['q'].lower()}%"
            query = query.where(
                or_(
                    func.lower(Opportunity.title).like(pattern),
                    func.lower(Opportunity.description).like(pattern),
                )
            )
        return paginate(query, pagination_parameters)

    @event_member_required
    @blp.arguments(OpportunitySchema)
    @blp.response(201, OpportunitySchema)
    def post(self, data: dict[str, Any], event_id: int) -> Opportunity:
        """Publish an offer, request, cooperation, investment or partner search."""
        event = get_member_event(event_id)
        owner = _owner_for_new_item(event, data)
        item = add_opportunity(event, owner, data)
        db.session.commit()
        return item


@blp.route("/<int:opportunity_id>")
class OpportunityByIdViews(MethodView):
    @event_member_required
    @blp.arguments(OpportunitySchema(partial=True))
    @blp.response(200, OpportunitySchema)
    def patch(self, data: dict[str, Any], event_id: int, opportunity_id: int) -> Opportunity:
        """Change an opportunity (its author or the organiser)."""
        event = get_member_event(event_id)
        item = _get_editable(event, opportunity_id)
        if data.pop("participant_id", item.participant_id) != item.participant_id:
            raise InvalidInput({"participant_id": ["An opportunity cannot change hands."]})
        if "tags" in data:
            item.tags = resolve_tags(event.id, data.pop("tags"), "tags")
        for key, value in data.items():
            setattr(item, key, value)
        db.session.commit()
        return item

    @event_member_required
    @blp.response(204)
    def delete(self, event_id: int, opportunity_id: int) -> None:
        """Withdraw an opportunity (its author or the organiser)."""
        item = _get_editable(get_member_event(event_id), opportunity_id)
        db.session.delete(item)
        db.session.commit()
