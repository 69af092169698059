from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import Select, exists, func, or_, select

from api.events.lookup import get_in_event
from api.exceptions import Conflict, Forbidden, NotFound
from api.extensions import db
from api.http.guards import (
    event_manager_required,
    event_member_required,
    get_managed_event,
    get_member_event,
)
from api.http.pagination import paginate
from api.http.principal import current_participant, organiser_may
from api.models import Event, Organisation, Participant
from api.models.event_members import Permission
from api.registration.operations import find_or_create_organisation
from api.registration.schemas.organisations import OrganisationQueryArgsSchema, OrganisationSchema
from api.registration.tags import resolve_tags

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/organisations",
    description="Organisations taking part in an event",
)


def _get_organisation(event: Event, organisation_id: int) -> Organisation:
    organisation = get_in_event(Organisation, event, organisation_id, "Organisation")
    visible = db.session.scalar(
        _visible(select(Organisation.id).where(Organisation.id == organisation.id), event)
    )
    if visible is None:
        raise NotFound("Organisation not found")
    return organisation


def _visible(query: Select[Any], event: Event) -> Select[Any]:
    """Participants see organisations with a public representative, and their own.

    A hidden participant's organisation would otherwise tell who is there (issue 17.11).
    """
    if organiser_may(event, Permission.READ):
        return query
    viewer = current_participant()
    public = exists().where(
        Participant.organisation_id == Organisation.id, Participant.is_public.is_(True)
    )
    if viewer is None:
        return query.where(public)
    return query.where(or_(public, Organisation.id == viewer.organisation_id))


# The organiser's meeting rules (cross_border_only, allowed_type_pairs) depend on these.
ORGANISER_ONLY_FIELDS = ("type", "country")


def _require_representative_or_organiser(
    event: Event, organisation: Organisation, data: dict[str, Any]
) -> None:
    participant = current_participant()
    if organiser_may(event):
        return
    if (
        participant is None
        or participant.organisation_id != organisation.id
        or participant.is_membership_pending
    ):
        raise Forbidden("Only the organisation's representatives or the organiser may do this")
    for name in ORGANISER_ONLY_FIELDS:
        if name in data and data[name] != getattr(organisation, name):
            raise Forbidden(
                f"Only the organiser changes an organisation's {name} (field: {name}); "
                "the event's meeting rules depend on it."
            )


@blp.route("")
class OrganisationViews(MethodView):
    @event_member_required
    @blp.arguments(OrganisationQueryArgsSchema, location="query")
    @blp.response(200, OrganisationSchema(many=True))
    @blp.paginate()
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """Organisations of the event (organiser and participants)."""
        event = get_member_event(event_id)
        query = _visible(select(Organisation).where(Organisation.event_id == event.id), event)
        query = query.order_by(Organisation.name)
        if "type" in args:
            query = query.where(Organisation.type == args["type"])
        if "country" in args:
            query = query.where(Organisation.country == args["country"])
        if "q" in args:
            query = query.where(func.lower(Organisation.name).like(f"%{args['q'].lower()}%"))
        return paginate(query, pagination_parameters)

    @event_manager_required
    @blp.arguments(OrganisationSchema)
    @blp.response(201, OrganisationSchema)
    def post(self, data: dict[str, Any], event_id: int) -> Organisation:
        """Add an organisation (organiser); participants create theirs when registering."""
        event = get_managed_event(event_id)
        exists = db.session.scalar(
            select(Organisation.id).where(
                Organisation.event_id == event.id,
                func.lower(Organisation.name) == data["name"].strip().lower(),
            )
        )
        if exists is not None:
            raise Conflict("An organisation of that name is already in the event")
        organisation, _is_new = find_or_create_organisation(event, data, "sectors")
        db.session.commit()
        return organisation


@blp.route("/<int:organisation_id>")
class OrganisationByIdViews(MethodView):
    @event_member_required
    @blp.response(200, OrganisationSchema)
    def get(self, event_id: int, organisation_id: int) -> Organisation:
        """One organisation."""
        return _get_organisation(get_member_event(event_id), organisation_id)

    @event_member_required
    @blp.arguments(OrganisationSchema(partial=True))
    @blp.response(200, OrganisationSchema)
    def patch(self, data: dict[str, Any], event_id: int, organisation_id: int) -> Organisation:
        """Change an organisation (its representatives or the organiser)."""
        event = get_member_event(event_id)
        organisation = _get_organisation(event, organisation_id)
        _require_representative_or_organiser(event, organisation, data)
        if "sectors" in data:
            organisation.tags = resolve_tags(event.id, data.pop("sectors"), "sectors")
        for key, value in data.items():
            setattr(organisation, key, value)
        db.session.commit()
        return organisation

    @event_manager_required
    @blp.response(204)
    def delete(self, event_id: int, organisation_id: int) -> None:
        """Delete an organisation nobody represents any more (organiser)."""
        organisation = _get_organisation(get_managed_event(event_id), organisation_id)
        represented = db.session.scalar(
            select(Participant.id).where(Participant.organisation_id == organisation.id).limit(1)
        )
        if represented is not None:
            raise Conflict("Participants still represent this organisation")
        db.session.delete(organisation)
        db.session.commit()
