"""A participant's own data, all of it, in one JSON document (GDPR art. 15 and 20)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from api.extensions import db
from api.meetings.operations import meeting_rows
from api.models import (
    Event,
    Meeting,
    MeetingRequest,
    Opportunity,
    Participant,
    Session,
    SignUp,
)
from api.models.types import now_utc


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def participant_data(participant: Participant) -> dict[str, Any]:
    event = db.session.get(Event, participant.event_id)
    assert event is not None
    organisation = participant.organisation
    requests = db.session.scalars(
        select(MeetingRequest)
        .where(
            or_(
                MeetingRequest.requester_id == participant.id,
                MeetingRequest.invitee_id == participant.id,
            )
        )
        .order_by(MeetingRequest.id)
    )
    meetings = [row for row in meeting_rows(event, participant_id=participant.id)]
    my_feedback = {
        m.id: (m.feedback_a if m.participant_a_id == participant.id else m.feedback_b)
        for m in db.session.scalars(
            select(Meeting).where(Meeting.id.in_([row["id"] for row in meetings]))
        )
    }
    signups = db.session.execute(
        select(SignUp, Session.title)
        .join(Session, Session.id == SignUp.session_id)
        .where(SignUp.participant_id == participant.id)
        .order_by(SignUp.id)
    )
    return {
        "exported_dt": now_utc().isoformat(),
        "event": {"id": event.id, "name": event.name, "slug": event.slug},
        "profile": {
            "id": participant.id,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "email": participant.email,
            "role": participant.role,
            "attendance": participant.attendance,
            "timezone": participant.timezone,
            "languages": participant.languages,
            "group": participant.group,
            "description": participant.description,
            "is_public": participant.is_public,
            "consent_dt": _iso(participant.consent_dt),
            "created_dt": _iso(participant.created_dt),
            "interests": sorted(t.label for t in participant.interests),
        },
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "type": organisation.type,
            "country": organisation.country,
            "region": organisation.region,
            "size": organisation.size,
            "website": organisation.website,
            "description": organisation.description,
            "tags": sorted(t.label for t in organisation.tags),
        },
        "opportunities": [
            {
                "id": o.id,
                "kind": o.kind,
                "title": o.title,
                "description": o.description,
                "created_dt": _iso(o.created_dt),
            }
            for o in db.session.scalars(
                select(Opportunity)
                .where(Opportunity.participant_id == participant.id)
                .order_by(Opportunity.id)
            )
        ],
        "availability": [
            {"start_dt": _iso(w.start_dt), "end_dt": _iso(w.end_dt)}
            for w in participant.availability
        ],
        "requests": [
            {
                "id": r.id,
                "direction": "sent" if r.requester_id == participant.id else "received",
                "other_participant_id": r.invitee_id
                if r.requester_id == participant.id
                else r.requester_id,
                "message": r.message,
                # The word sent with a decline: the person's own, or written to them.
                "answer_message": r.answer_message,
                "status": r.status,
                "origin": r.origin,
                "created_dt": _iso(r.created_dt),
                "answered_dt": _iso(r.answered_dt),
            }
            for r in requests
        ],
        "meetings": [
            {
                "id": row["id"],
                "status": row["status"],
                "with": row["participant_b"]
                if row["participant_a_id"] == participant.id
                else row["participant_a"],
                "start_dt": _iso(row["start_dt"]),
                "end_dt": _iso(row["end_dt"]),
                "table": row["table"],
                "online_url": row["online_url"],
            }
            for row in meetings
        ],
        "signups": [
            {
                "session_id": s.session_id,
                "session": title,
                "kind": s.kind,
                "created_dt": _iso(s.created_dt),
            }
            for s, title in signups
        ],
        "feedback": [
            {"meeting_id": meeting_id, "text": text}
            for meeting_id, text in sorted(my_feedback.items())
            if text
        ],
    }
