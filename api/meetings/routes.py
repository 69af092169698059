"""On-the-day meeting endpoints: list, held, no-show, cancel, feedback, re-solve."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.exceptions import Forbidden, NotFound
from api.extensions import db
from api.http.guards import (
    event_manager_required,
    event_member_required,
    get_managed_event,
    get_member_event,
)
from api.http.principal import current_organiser, current_participant, organiser_may
from api.meetings import operations as on_the_day
from api.meetings.schemas import (
    FeedbackSchema,
    MeetingQueryArgsSchema,
    MeetingSchema,
    ResolveSchema,
)
from api.models import Event, Job, Meeting
from api.models.enums import MeetingStatus, WebhookKind
from api.models.event_members import Permission
from api.solving.schemas import JobSchema
from api.webhooks.operations import emit

blp = Blueprint(
    "meetings",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/meetings",
    description="Meetings on the day: outcomes, feedback, cancellations, minimal-move re-solve",
)


def _meeting_for_caller(
    event: Event, meeting_id: int, permission: Permission | None = None
) -> Meeting:
    """The meeting, if the caller is an organiser whose role allows ``permission`` or one
    of its two participants."""
    meeting = on_the_day.get_meeting(event, meeting_id)
    participant = current_participant()
    if current_organiser() is not None:
        if not organiser_may(event, permission):
            raise Forbidden("Your role on this event does not allow this")
        return meeting
    if participant is None or not meeting.involves(participant.id):
        raise NotFound("Meeting not found")
    return meeting


def _row(event: Event, meeting: Meeting) -> dict[str, Any]:
    rows = on_the_day.meeting_rows(event, status=None)
    return next(row for row in rows if row["id"] == meeting.id)


@blp.route("")
class MeetingViews(MethodView):
    @event_member_required
    @blp.arguments(MeetingQueryArgsSchema, location="query")
    @blp.response(200, MeetingSchema(many=True))
    def get(self, args: dict[str, Any], event_id: int) -> list[dict[str, Any]]:
        """Meetings with their published slot and table: all (organiser) or one's own."""
        event = get_member_event(event_id)
        participant_id = args.get("participant_id")
        if not organiser_may(event):
            me = current_participant()
            assert me is not None
            if participant_id not in (None, me.id):
                raise Forbidden("Participants see only their own meetings")
            participant_id = me.id
        rows = on_the_day.meeting_rows(event, participant_id, args.get("status"))
        if not organiser_may(event):
            # Each side's feedback is private to the side that wrote it (and the organiser).
            for row in rows:
                hidden = "feedback_b" if row["participant_a_id"] == participant_id else "feedback_a"
                row[hidden] = ""
        return rows


OUTCOME_WEBHOOKS = {
    MeetingStatus.HELD: WebhookKind.MEETING_HELD,
    MeetingStatus.NO_SHOW: WebhookKind.MEETING_NO_SHOW,
    MeetingStatus.CANCELLED: WebhookKind.MEETING_CANCELLED,
}


def _outcome(event_id: int, meeting_id: int, outcome: MeetingStatus) -> dict[str, Any]:
    event = get_member_event(event_id)
    # The check-in desk marks attendance; cancelling is managing the event.
    needed = Permission.MANAGE if outcome == MeetingStatus.CANCELLED else Permission.ATTENDANCE
    meeting = _meeting_for_caller(event, meeting_id, needed)
    if outcome == MeetingStatus.HELD:
        on_the_day.mark_held(event, meeting)
    elif outcome == MeetingStatus.NO_SHOW:
        on_the_day.mark_no_show(event, meeting)
    else:
        on_the_day.cancel_meeting(meeting)
    db.session.commit()
    kind = OUTCOME_WEBHOOKS[outcome]
    payload = on_the_day.meeting_payload(event, meeting)
    row = _row(event, meeting)
    emit(event, kind, payload)
    return row


@blp.route("/<int:meeting_id>/held")
class MeetingHeldViews(MethodView):
    @event_member_required
    @blp.response(200, MeetingSchema)
    def post(self, event_id: int, meeting_id: int) -> dict[str, Any]:
        """Mark a scheduled meeting held (organiser or either participant); it is pinned."""
        return _outcome(event_id, meeting_id, MeetingStatus.HELD)


@blp.route("/<int:meeting_id>/no-show")
class MeetingNoShowViews(MethodView):
    @event_member_required
    @blp.response(200, MeetingSchema)
    def post(self, event_id: int, meeting_id: int) -> dict[str, Any]:
        """Record that a side did not come (organiser or either participant); it is pinned."""
        return _outcome(event_id, meeting_id, MeetingStatus.NO_SHOW)


@blp.route("/<int:meeting_id>/cancel")
class MeetingCancelViews(MethodView):
    @event_member_required
    @blp.response(200, MeetingSchema)
    def post(self, event_id: int, meeting_id: int) -> dict[str, Any]:
        """Cancel a meeting (organiser or either participant); its slot is freed.

        The published schedule still shows the slot until a re-solve is published:
        ``POST /meetings/re-solve`` fills freed slots with the fewest moves.
        """
        return _outcome(event_id, meeting_id, MeetingStatus.CANCELLED)


@blp.route("/<int:meeting_id>/feedback")
class MeetingFeedbackViews(MethodView):
    @event_member_required
    @blp.arguments(FeedbackSchema)
    @blp.response(200, MeetingSchema)
    def post(self, data: dict[str, Any], event_id: int, meeting_id: int) -> dict[str, Any]:
        """Write one's own short feedback after a held meeting (participants)."""
        event = get_member_event(event_id)
        participant = current_participant()
        if participant is None:
            raise Forbidden("Only the meeting's participants write feedback")
        meeting = _meeting_for_caller(event, meeting_id)
        on_the_day.write_feedback(meeting, participant, data["text"].strip())
        db.session.commit()
        row = _row(event, meeting)
        hidden = "feedback_b" if meeting.participant_a_id == participant.id else "feedback_a"
        row[hidden] = ""
        return row


@blp.route("/re-solve")
class MeetingResolveViews(MethodView):
    @event_manager_required
    @blp.arguments(ResolveSchema)
    @blp.response(202, JobSchema)
    def post(self, data: dict[str, Any], event_id: int) -> Job:
        """Re-solve after changes with the fewest moves (organiser).

        Meetings whose slot has started, and those marked held or no-show, are pinned
        first; then a ``meetings`` job is queued. It re-solves against the published
        version, keeping every other meeting where it is when possible; review and
        publish its draft as usual.
        """
        event = get_managed_event(event_id)
        job, _pinned = on_the_day.request_resolve(event, data)
        return job
