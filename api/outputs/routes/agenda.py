"""Agenda exports: a participant's iCalendar feed, the frab schedule, the solver instance."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from api.exceptions import NotFound, Unauthorized
from api.http.guards import (
    event_manager_required,
    get_event,
    get_event_participant,
    get_managed_event,
    get_member_event,
    require_participant_editor,
)
from api.http.openapi import public
from api.http.principal import organiser_may
from api.models import Event, Participant
from api.models.enums import ScheduleKind, ScheduleStatus
from api.outputs.calendars import participant_calendar
from api.outputs.frab import frab_schedule, frab_schedule_xml
from api.outputs.schemas.agenda import CalendarQueryArgsSchema, FrabQueryArgsSchema
from api.schedules.operations import get_version, published_version
from api.solving.agenda_instance import build_agenda_instance
from scheduler.agenda.json_format import instance_to_dict

blp = Blueprint(
    "agenda_exports",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>",
    description="Agenda exports: iCalendar feeds, frab schedule JSON and XML, solver instance",
)

_FILE = {"type": "string", "format": "binary"}


def _calendar_owner(
    event_id: int, participant_id: int, token: str | None
) -> tuple[Event, Participant]:
    """The participant whose feed is asked for, if the caller may read it."""
    if token:
        raise Unauthorized(
            "Tokens in URLs are no longer accepted: subscribe with the participant's feed "
            "link (GET .../participants/{id}/feed) or send the Authorization header"
        )
    event = get_member_event(event_id)
    participant = get_event_participant(event, participant_id)
    require_participant_editor(participant)
    return event, participant


@blp.route("/participants/<int:participant_id>/agenda.ics")
class ParticipantCalendarViews(MethodView):
    @blp.arguments(CalendarQueryArgsSchema, location="query")
    @blp.response(200, _FILE, content_type="text/calendar")
    def get(self, args: dict[str, Any], event_id: int, participant_id: int) -> Response:
        """A participant's meetings and sessions as an iCalendar file.

        For the participant themself or the organisers, with the Authorization header.
        Calendar apps subscribe to the feed link instead (``GET .../feed``), which
        carries a read-only secret and no credential.
        """
        event, participant = _calendar_owner(event_id, participant_id, args.get("token"))
        body = participant_calendar(event, participant)
        response = Response(body, content_type="text/calendar; charset=utf-8")
        response.headers["Content-Disposition"] = f'inline; filename="{event.slug}-agenda.ics"'
        response.headers["Cache-Control"] = "no-store"
        return response


def _frab_document(event_id: int, args: dict[str, Any]) -> dict[str, Any]:
    """The frab document of the published agenda, or of a version the caller may see."""
    event = get_event(event_id)
    if "version_id" in args:
        version = get_version(event, args["version_id"])
        if version.kind != ScheduleKind.AGENDA:
            raise NotFound("Not an agenda schedule")
        if version.status != ScheduleStatus.PUBLISHED and not organiser_may(event):
            get_managed_event(event_id)
    else:
        found = published_version(event, ScheduleKind.AGENDA)
        if found is None:
            raise NotFound("The event has no published agenda yet")
        version = found
    return frab_schedule(event, version, request.host_url)


@blp.route("/agenda.frab.json")
class FrabScheduleViews(MethodView):
    @public
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.arguments(FrabQueryArgsSchema, location="query")
    @blp.response(200, {"type": "object"})
    def get(self, args: dict[str, Any], event_id: int) -> Response:
        """The agenda in the frab / c3voc schedule JSON of conference apps.

        The published agenda is public; the organiser may export a draft with
        ``version_id``.
        """
        return jsonify(_frab_document(event_id, args))


@blp.route("/schedule.xml")
class FrabScheduleXmlViews(MethodView):
    @public
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.arguments(FrabQueryArgsSchema, location="query")
    @blp.response(200, _FILE, content_type="application/xml")
    def get(self, args: dict[str, Any], event_id: int) -> Response:
        """The same agenda as the frab / c3voc schedule XML (Giggity, ConfClerk,
        c3voc tools read it); the published agenda is public, drafts with
        ``version_id`` for the organiser."""
        return Response(
            frab_schedule_xml(_frab_document(event_id, args)),
            mimetype="application/xml",
        )


@blp.route("/agenda-instance.json")
class AgendaInstanceViews(MethodView):
    @event_manager_required
    @blp.response(200, {"type": "object"})
    def get(self, event_id: int) -> Response:
        """The agenda solver's instance for the event, as ``clustermeet solve agenda`` reads it
        (organiser)."""
        event = get_managed_event(event_id)
        return jsonify(instance_to_dict(build_agenda_instance(event).instance))
