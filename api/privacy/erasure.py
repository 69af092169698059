"""Deleting a participant: personal data goes, meetings stay as cancelled history."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

import api.signals as signals
from api.extensions import db
from api.models import (
    Event,
    Meeting,
    MeetingRequest,
    MeetingTable,
    OutgoingMail,
    Participant,
    SessionSpeaker,
)
from api.models.enums import MeetingStatus
from api.webhooks.operations import queue_event


def _release_meetings(participant: Participant) -> None:
    """Keep the person's meetings as cancelled rows with their side emptied.

    Published schedule versions are history: their placements and summary stay as they
    were, and readers name the empty side "a participant who left". Partners' calendar
    feeds then list the meeting with STATUS:CANCELLED (a deleted row would simply vanish
    from them), their integrations get ``meeting.cancelled`` and, for a published
    meeting, a mail that names nobody.
    """
    meetings = db.session.scalars(
        select(Meeting).where(
            or_(
                Meeting.participant_a_id == participant.id,
                Meeting.participant_b_id == participant.id,
            )
        )
    ).all()
    event = db.session.get(Event, participant.event_id)
    for meeting in meetings:
        was_open = meeting.status in (MeetingStatus.ACCEPTED, MeetingStatus.SCHEDULED)
        was_published = meeting.status == MeetingStatus.SCHEDULED
        if was_open:
            # Partners' integrations hear about it once the erasure commits; ids only.
            queue_event(
                meeting.event_id,
                "meeting.cancelled",
                {
                    "meeting_id": meeting.id,
                    "status": MeetingStatus.CANCELLED,
                    "participant_ids": [
                        None if pid == participant.id else pid
                        for pid in (meeting.participant_a_id, meeting.participant_b_id)
                    ],
                    "reason": "participant_deleted",
                },
            )
        # Their feedback is theirs; the partner's stays with the partner.
        if meeting.participant_a_id == participant.id:
            meeting.participant_a = None
            meeting.feedback_a = ""
        else:
            meeting.participant_b = None
            meeting.feedback_b = ""
        meeting.status = MeetingStatus.CANCELLED
        meeting.is_pinned = False
        meeting.request_id = None  # the request names them and goes below
        if was_published:
            signals.send(signals.meeting_cancelled, event=event, meeting=meeting)
    db.session.flush()


def erase_participant(participant: Participant) -> None:
    """Remove the participant and every row that names them.

    Their meetings stay, cancelled, without them (``_release_meetings``); their requests
    go; a booth reserved for them becomes a free table; their speaker entries are
    removed (the name was a copy: public ``/sessions`` and the frab export showed it).
    """
    db.session.execute(
        update(MeetingTable)
        .where(MeetingTable.reserved_for_id == participant.id)
        .values(reserved_for_id=None)
    )
    db.session.execute(
        delete(SessionSpeaker).where(SessionSpeaker.participant_id == participant.id)
    )
    _release_meetings(participant)
    for meeting_request in db.session.scalars(
        select(MeetingRequest).where(
            or_(
                MeetingRequest.requester_id == participant.id,
                MeetingRequest.invitee_id == participant.id,
            )
        )
    ):
        db.session.delete(meeting_request)
    organisation = participant.organisation
    # Their own mail goes with them (cascade); mail to others that is still waiting
    # and names them is dropped (sent mail keeps no text, see api.notifications).
    db.session.execute(
        delete(OutgoingMail).where(
            OutgoingMail.status == "pending",
            OutgoingMail.text_body.contains(participant.full_name),
        )
    )
    db.session.delete(participant)
    db.session.flush()
    still_represented = db.session.scalar(
        select(Participant.id).where(Participant.organisation_id == organisation.id).limit(1)
    )
    if still_represented is None:
        db.session.delete(organisation)
