"""Exports: meetings and participants as CSV/XLSX and the meeting solver's instance (organiser)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from api.http.guards import event_manager_required, get_managed_event
from api.outputs.funders_report import funders_report
from api.outputs.schemas.exports import CsvArgsSchema
from api.outputs.tables import DELIMITERS, meeting_table, participant_table, to_csv, to_xlsx
from api.solving.meeting_instance import fresh_meeting_instance
from scheduler.meetings.json_format import instance_to_dict

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>",
    description="Spreadsheet exports and the meeting solver's instance",
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = {"meetings": meeting_table, "participants": participant_table}


def _file(event_id: int, what: str, fmt: str, delimiter: str = "comma") -> Response:
    event = get_managed_event(event_id)
    columns, rows = TABLES[what](event)
    filename = f"{event.slug}-{what}.{fmt}"
    if fmt == "csv":
        body: Any = to_csv(columns, rows, DELIMITERS[delimiter])
        mimetype = "text/csv; charset=utf-8"
    else:
        body = to_xlsx(columns, rows, what)
        mimetype = XLSX
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blp.route("/exports/meetings.csv")
class MeetingsCsvViews(MethodView):
    @event_manager_required
    @blp.arguments(CsvArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, str], event_id: int) -> Response:
        """Meetings with status, published slot, table and both sides (organiser)."""
        return _file(event_id, "meetings", "csv", args["delimiter"])


@blp.route("/exports/meetings.xlsx")
class MeetingsXlsxViews(MethodView):
    @event_manager_required
    @blp.response(200, content_type=XLSX)
    def get(self, event_id: int) -> Response:
        """The meetings export as an Excel workbook (organiser)."""
        return _file(event_id, "meetings", "xlsx")


@blp.route("/exports/participants.csv")
class ParticipantsCsvViews(MethodView):
    @event_manager_required
    @blp.arguments(CsvArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, str], event_id: int) -> Response:
        """Participants with organisation, country and interests (organiser)."""
        return _file(event_id, "participants", "csv", args["delimiter"])


@blp.route("/exports/participants.xlsx")
class ParticipantsXlsxViews(MethodView):
    @event_manager_required
    @blp.response(200, content_type=XLSX)
    def get(self, event_id: int) -> Response:
        """The participants export as an Excel workbook (organiser)."""
        return _file(event_id, "participants", "xlsx")


@blp.route("/exports/report.xlsx")
class FundersReportViews(MethodView):
    @event_manager_required
    @blp.response(200, content_type=XLSX)
    def get(self, event_id: int) -> Response:
        """The funders' report (organiser): a workbook whose Summary sheet has
        participants by country, type and sector, requests and acceptance, meetings
        scheduled, held and no-shows, feedback; and meetings by pair of countries.
        No names or e-mail addresses."""
        event = get_managed_event(event_id)
        return Response(
            funders_report(event),
            mimetype=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{event.slug}-report.xlsx"'},
        )


@blp.route("/meetings-instance.json")
class MeetingsInstanceViews(MethodView):
    @event_manager_required
    @blp.response(200, {"type": "object"})
    def get(self, event_id: int) -> Response:
        """The meeting solver's instance for the event's accepted meetings, as ``clustermeet
        solve meetings`` reads it (organiser): a fresh solve, without the published version."""
        return jsonify(instance_to_dict(fresh_meeting_instance(get_managed_event(event_id))))
