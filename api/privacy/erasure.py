"""Deleting a participant: personal data goes, meetings are cancelled cleanly."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from api.extensions import db
from api.models import (
    Meeting,
    MeetingRequest,
    MeetingTable,
    OutgoingMail,
    Participant,
    SessionSpeaker,
)
from api.models.enums import MeetingStatus
from api.webhooks.operations import queue_event


def erase_participant(participant: Participant) -> None:
    """Remove the participant and every row that names them.

    Meetings and requests involving them are deleted with them (cascade), so partners
    simply lose that meeting (webhooks get ``meeting.cancelled`` for each open one); a
    booth reserved for them becomes a free table; their speaker entries are removed
    (the name was a copy: public ``/sessions`` and the frab export showed it).
    """
    db.session.execute(
        update(MeetingTable)
        .where(MeetingTable.reserved_for_id == participant.id)
        .values(reserved_for_id=None)
    )
    db.session.execute(
        delete(SessionSpeaker).where(SessionSpeaker.participant_id == participant.id)
    )
    for meeting in db.session.scalars(
        select(Meeting).where(
            or_(
                Meeting.participant_a_id == participant.id,
                Meeting.participant_b_id == participant.id,
            )
        )
    ):
        if meeting.status in (MeetingStatus.ACCEPTED, MeetingStatus.SCHEDULED):
            # Partners' integrations hear about it once the erasure commits; ids only.
            queue_event(
                meeting.event_id,
                "meeting.cancelled",
                {
                    "meeting_id": meeting.id,
                    "status": MeetingStatus.CANCELLED,
                    "participant_ids": [meeting.participant_a_id, meeting.participant_b_id],
                    "reason": "participant_deleted",
                },
            )
        db.session.delete(meeting)
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
