from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from api.exceptions import NotFound
from api.extensions import db
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
from api.http.principal import organiser_may
from api.models import ScheduleVersion
from api.models.enums import ScheduleKind, ScheduleStatus
from api.schedules.operations import get_version, publish_version, published_version
from api.schedules.read_models import meeting_placements, personal_schedule, session_placements
from api.schedules.schemas import (
    MeetingPlacementSchema,
    PersonalScheduleSchema,
    ScheduleVersionQueryArgsSchema,
    ScheduleVersionSchema,
    SessionPlacementSchema,
)
from api.webhooks.operations import emit_publication

blp = Blueprint(
    "schedules",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>",
    description="Schedule versions (drafts from solve jobs, published with diffs), agendas",
)


@blp.route("/schedules")
class ScheduleVersionViews(MethodView):
    @event_manager_required
    @blp.arguments(ScheduleVersionQueryArgsSchema, location="query")
    @blp.response(200, ScheduleVersionSchema(many=True))
    @blp.paginate()
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """Schedule versions of the event, newest first (organiser)."""
        event = get_managed_event(event_id)
        query = select(ScheduleVersion).where(ScheduleVersion.event_id == event.id)
        for key in ("kind", "status"):
            if key in args:
                query = query.where(getattr(ScheduleVersion, key) == args[key])
        query = query.order_by(ScheduleVersion.created_dt.desc(), ScheduleVersion.id.desc())
        return paginate(query, pagination_parameters)


@blp.route("/schedules/<int:version_id>")
class ScheduleVersionByIdViews(MethodView):
    @event_manager_required
    @blp.response(200, ScheduleVersionSchema)
    def get(self, event_id: int, version_id: int) -> ScheduleVersion:
        """One version with its summary (breaks, utilisation, unscheduled and why) and diff."""
        return get_version(get_managed_event(event_id), version_id)


@blp.route("/schedules/<int:version_id>/publish")
class SchedulePublishViews(MethodView):
    @event_manager_required
    @blp.response(200, ScheduleVersionSchema)
    def post(self, event_id: int, version_id: int) -> ScheduleVersion:
        """Publish a draft; the previous published version is superseded and the diff kept."""
        event = get_managed_event(event_id)
        version = publish_version(event, get_version(event, version_id))
        db.session.commit()
        emit_publication(event, version)
        return version


@blp.route("/schedules/<int:version_id>/meetings")
class ScheduleMeetingViews(MethodView):
    @event_manager_required
    @blp.response(200, MeetingPlacementSchema(many=True))
    def get(self, event_id: int, version_id: int) -> list[dict[str, Any]]:
        """Every meeting of a version with its slot and table (organiser)."""
        event = get_managed_event(event_id)
        version = get_version(event, version_id)
        if version.kind != ScheduleKind.MEETINGS:
            raise NotFound("Not a meetings schedule")
        return meeting_placements(version)


@blp.route("/agenda")
class AgendaViews(MethodView):
    @public
    @blp.response(200, SessionPlacementSchema(many=True))
    def get(self, event_id: int) -> list[dict[str, Any]]:
        """The published agenda: sessions with room and time (public)."""
        event = get_event(event_id)
        version = published_version(event, ScheduleKind.AGENDA)
        if version is None:
            return []
        return session_placements(version)


@blp.route("/schedules/<int:version_id>/sessions")
class ScheduleSessionViews(MethodView):
    @public
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.response(200, SessionPlacementSchema(many=True))
    def get(self, event_id: int, version_id: int) -> list[dict[str, Any]]:
        """Sessions of an agenda version (drafts: organiser only; published: anyone)."""
        event = get_event(event_id)
        version = get_version(event, version_id)
        if version.kind != ScheduleKind.AGENDA:
            raise NotFound("Not an agenda schedule")
        if version.status != ScheduleStatus.PUBLISHED and not organiser_may(event):
            get_managed_event(event_id)
        return session_placements(version)


@blp.route("/participants/<int:participant_id>/schedule")
class PersonalScheduleViews(MethodView):
    @event_member_required
    @blp.response(200, PersonalScheduleSchema)
    def get(self, event_id: int, participant_id: int) -> dict[str, Any]:
        """A participant's published meetings and sessions (themself or the organiser)."""
        event = get_member_event(event_id)
        participant = get_event_participant(event, participant_id)
        require_participant_editor(participant)
        return personal_schedule(event, participant)
