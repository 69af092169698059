from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import Select, func, or_, select

from api.accounts.auth import is_organiser_request
from api.events.slots import check_windows_in_event
from api.exceptions import Forbidden
from api.extensions import db, limiter
from api.http.guards import (
    event_manager_required,
    event_member_required,
    get_event,
    get_event_participant,
    get_managed_event,
    get_member_event,
    require_participant_editor,
)
from api.http.openapi import public
from api.http.pagination import paginate
from api.http.principal import current_participant, organiser_may
from api.models import AvailabilityWindow, Event, Organisation, Participant, Tag
from api.models.event_members import Permission
from api.registration.operations import (
    approve_membership,
    register_or_remind,
    register_participant,
    update_participant,
)
from api.registration.participant_import import import_participants
from api.registration.schemas.participants import (
    AvailabilitySchema,
    ImportArgsSchema,
    ImportResultSchema,
    ParticipantPatchSchema,
    ParticipantQueryArgsSchema,
    ParticipantSchema,
    RegistrationReceivedSchema,
    RegistrationResultSchema,
    RegistrationSchema,
)
from api.registration.spreadsheets import MAX_BYTES

REGISTRATION_RECEIVED = (
    "Thank you. Check your mail: a message to this address has a link to sign in."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

blp = Blueprint(
    "participants",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/participants",
    description="Participants: registration, profiles, availability",
)


def _registration_limit() -> str:
    return str(current_app.config["RATELIMIT_REGISTRATION"])


def _filtered(event: Event, args: dict[str, Any]) -> Select[Any]:
    query = (
        select(Participant)
        .join(Organisation)
        .where(Participant.event_id == event.id)
        .order_by(Participant.last_name, Participant.id)
    )
    if not organiser_may(event):
        query = query.where(Participant.is_public.is_(True))
    if "country" in args:
        query = query.where(Organisation.country == args["country"])
    if "organisation_type" in args:
        query = query.where(Organisation.type == args["organisation_type"])
    if "organisation_id" in args:
        query = query.where(Participant.organisation_id == args["organisation_id"])
    if "attendance" in args:
        query = query.where(Participant.attendance == args["attendance"])
    if "group" in args:
        query = query.where(Participant.group == args["group"])
    if "interest" in args:
        query = query.where(Participant.interests.any(Tag.slug == args["interest"]))
    if "q" in args:
        pattern = f"%{args['q'].lower()}%"
        full_name = func.lower(Participant.first_name + " " + Participant.last_name)
        query = query.where(
            or_(full_name.like(pattern), func.lower(Organisation.name).like(pattern))
        )
    return query


@blp.route("")
class ParticipantViews(MethodView):
    @event_member_required
    @blp.arguments(ParticipantQueryArgsSchema, location="query")
    @blp.response(200, ParticipantSchema(many=True))
    @blp.paginate()
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """List participants: the organiser sees everyone, participants see public profiles."""
        return paginate(_filtered(get_member_event(event_id), args), pagination_parameters)

    @public
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(429, description="Too many registrations from this address; wait.")
    @blp.alt_response(
        201,
        schema=RegistrationResultSchema,
        description="The organiser registered someone: the participant and their token.",
    )
    @limiter.limit(_registration_limit, exempt_when=is_organiser_request)
    @blp.arguments(RegistrationSchema)
    @blp.response(202, RegistrationReceivedSchema)
    def post(self, data: dict[str, Any], event_id: int) -> Any:
        """Register for the event (anyone while registration is open; the organiser always).

        Anyone: the answer is 202 "check your mail", the same whether or not the address
        is registered, so nobody learns who takes part. A new participant gets a mail
        with a sign-in link (`POST /api/v1/sign-in` turns it into a Bearer token); a
        registered one gets "you are already registered" with a sign-in link.
        The organiser: 201 with the participant and `access_token` (shown once); an
        address already registered is a 422 naming `email`.
        """
        event = get_event(event_id)
        if organiser_may(event):
            participant, token = register_participant(event, data, by_organiser=True)
            db.session.commit()
            participant.access_token = token
            response = jsonify(RegistrationResultSchema().dump(participant))
            response.status_code = 201
            return response
        if not event.is_registration_open():
            raise Forbidden("Registration for this event is closed")
        register_or_remind(event, data)
        db.session.commit()
        return {"message": REGISTRATION_RECEIVED}


@blp.route("/<int:participant_id>")
class ParticipantByIdViews(MethodView):
    @event_member_required
    @blp.response(200, ParticipantSchema)
    def get(self, event_id: int, participant_id: int) -> Participant:
        """A participant's profile (private fields only for themself and the organiser)."""
        return get_event_participant(get_member_event(event_id), participant_id)

    @event_member_required
    @blp.arguments(ParticipantPatchSchema(partial=True))
    @blp.response(200, ParticipantSchema)
    def patch(self, data: dict[str, Any], event_id: int, participant_id: int) -> Participant:
        """Change a profile (the participant themself or the organiser)."""
        event = get_member_event(event_id)
        participant = get_event_participant(event, participant_id)
        require_participant_editor(participant)
        update_participant(participant, data, by_organiser=organiser_may(event, Permission.MANAGE))
        db.session.commit()
        return participant


@blp.route("/<int:participant_id>/approve-membership")
class MembershipApprovalViews(MethodView):
    @event_member_required
    @blp.response(200, ParticipantSchema)
    def post(self, event_id: int, participant_id: int) -> Participant:
        """Approve a member who joined an existing organisation (a colleague or the organiser)."""
        event = get_member_event(event_id)
        participant = get_event_participant(event, participant_id)
        by_organiser = organiser_may(event, Permission.MANAGE)
        approve_membership(participant, None if by_organiser else current_participant())
        db.session.commit()
        return participant


@blp.route("/<int:participant_id>/availability")
class AvailabilityViews(MethodView):
    @event_member_required
    @blp.response(200, AvailabilitySchema)
    def get(self, event_id: int, participant_id: int) -> dict[str, Any]:
        """When a participant can meet; no windows means the whole event."""
        participant = get_event_participant(get_member_event(event_id), participant_id)
        require_participant_editor(participant)
        return {"windows": participant.availability}

    @event_member_required
    @blp.arguments(AvailabilitySchema)
    @blp.response(200, AvailabilitySchema)
    def put(self, data: dict[str, Any], event_id: int, participant_id: int) -> dict[str, Any]:
        """Replace the availability windows; each must lie within the event's days."""
        event = get_member_event(event_id)
        participant = get_event_participant(event, participant_id)
        require_participant_editor(participant)
        check_windows_in_event(event, data["windows"])
        participant.availability = [AvailabilityWindow(**window) for window in data["windows"]]
        db.session.commit()
        return {"windows": participant.availability}


@blp.route("/import")
class ParticipantImportViews(MethodView):
    @event_manager_required
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(201, ImportResultSchema)
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    )
    def post(self, args: dict[str, Any], event_id: int) -> dict[str, Any]:
        """Import participants from a CSV or XLSX sheet (organiser): all rows or none.

        Columns: first_name, last_name, email, organisation, organisation_type, country,
        and optionally role, attendance, timezone, languages, group, description,
        interests, region, sectors, website, offers, requests, availability (lists
        separated by `;`; tags by slug or label; availability as `2027-03-10 09:00-12:30`
        in the event's time zone). CSV may be UTF-8 (with or without BOM), UTF-16 or
        Windows-1252, with `,`, `;`, tab or `|` between columns. A refused file answers
        422 with `errors.json.rows` (every problem of every row, in row order) and
        `errors.json.unknown_tags` (each unknown tag once, with its rows); with
        `create_tags=true` unknown tags are created instead.
        """
        event = get_managed_event(event_id)
        # Refuse a huge body before reading it (413), not after holding it in memory.
        request.max_content_length = MAX_BYTES + 1024 * 1024  # room for the form's framing
        upload = request.files.get("file")
        raw = upload.read() if upload else request.get_data()
        filename = (upload.filename or "") if upload else ""
        result = import_participants(event, raw, filename, create_tags=args["create_tags"])
        db.session.commit()
        return {
            "created": len(result.created),
            "participants": [
                {"id": p.id, "email": p.email, "access_token": token} for p, token in result.created
            ],
            "tags_created": [tag.slug for tag in result.tags_created],
            "file": {
                "format": "csv" if result.sheet.delimiter else "xlsx",
                "encoding": result.sheet.encoding,
                "delimiter": result.sheet.delimiter,
            },
        }
