"""The meeting cap under concurrent accepts, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, or_, select

from api.extensions import db
from api.models import Meeting
from tests.api.conftest import event_payload
from tests.api.test_request_races import _hammer, _new_request

CAP = 3
PEOPLE = 10


def _capped_event(event_factory: Any) -> dict[str, Any]:
    settings = event_payload()["meeting_settings"] | {"max_meetings_per_participant": CAP}
    return event_factory(meeting_settings=settings)  # type: ignore[no-any-return]


def _live_meetings(participant_id: int) -> int:
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count())
        .select_from(Meeting)
        .where(
            Meeting.status != "cancelled",
            or_(
                Meeting.participant_a_id == participant_id,
                Meeting.participant_b_id == participant_id,
            ),
        )
    )
    return int(count or 0)


@pytest.mark.postgres
def test_invitees_accepting_one_persons_requests_at_once_respect_the_cap(
    app: Flask, client: Any, event_factory: Any, participant_factory: Any
) -> None:
    event = _capped_event(event_factory)
    alice = participant_factory(event_id=event["id"])
    invitees = [participant_factory(event_id=event["id"]) for _ in range(PEOPLE)]
    base = f"/api/v1/events/{event['id']}/meeting-requests"
    ids = [_new_request(client, event, alice, bob) for bob in invitees]
    codes = _hammer(
        app, [(f"{base}/{rid}/accept", bob.headers) for rid, bob in zip(ids, invitees, strict=True)]
    )
    assert codes.count(200) == CAP, codes
    assert codes.count(409) == PEOPLE - CAP, codes
    assert _live_meetings(alice.id) == CAP


@pytest.mark.postgres
def test_one_person_accepting_many_requests_at_once_respects_the_cap(
    app: Flask, client: Any, event_factory: Any, participant_factory: Any
) -> None:
    event = _capped_event(event_factory)
    bob = participant_factory(event_id=event["id"])
    requesters = [participant_factory(event_id=event["id"]) for _ in range(PEOPLE)]
    base = f"/api/v1/events/{event['id']}/meeting-requests"
    ids = [_new_request(client, event, alice, bob) for alice in requesters]
    codes = _hammer(app, [(f"{base}/{rid}/accept", bob.headers) for rid in ids])
    assert codes.count(200) == CAP, codes
    assert codes.count(409) == PEOPLE - CAP, codes
    assert _live_meetings(bob.id) == CAP
