"""Every webhook kind a subscriber can choose is really sent by the feature it reports."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.events.slots import event_slots
from api.extensions import db
from api.models import Event, Meeting, MeetingPlacement, MeetingRequest, Participant
from api.models.enums import WebhookKind
from api.requests.operations import decline_request
from tests.api.published_event import place_greedily, published_event
from tests.api.webhook_receiver import Receiver, webhook_receiver


def _wait_for(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # end the read so the delivery thread can write (SQLite)
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _kinds(receiver: Receiver) -> list[str]:
    assert all(got["valid"] for got in receiver.received)
    return [json.loads(got["body"])["event"] for got in receiver.received]


def _move_one(event: Event, version_id: int) -> int:
    """Move a placement of the draft to a slot free for both people and its table."""
    placements = list(
        db.session.scalars(
            select(MeetingPlacement)
            .where(MeetingPlacement.version_id == version_id)
            .order_by(MeetingPlacement.id)
        )
    )
    busy = {(s.participant_id, p.slot) for p in placements for s in p.seats}
    taken = {(p.table_id, p.slot) for p in placements}
    all_slots = event_slots(event)
    for placement in placements:
        people = [s.participant_id for s in placement.seats]
        for slot in all_slots:
            if slot.index == placement.slot or (placement.table_id, slot.index) in taken:
                continue
            if any((p, slot.index) in busy for p in people):
                continue
            placement.slot, placement.start_dt, placement.end_dt = (
                slot.index,
                slot.start_dt,
                slot.end_dt,
            )
            for seat in placement.seats:
                seat.start_dt = slot.start_dt
            db.session.commit()
            return placement.meeting_id
    raise AssertionError("no free slot to move a meeting to")


def test_every_advertised_kind_is_sent(app: Flask, client: FlaskClient) -> None:
    demo = published_event(participants=12, meetings_each=1)
    headers = {"Authorization": f"Bearer {demo.organiser_key}"}
    api = f"/api/v1/events/{demo.event_id}"
    people = list(db.session.scalars(select(Participant).order_by(Participant.id)))
    paired = {
        frozenset((m.participant_a_id, m.participant_b_id))
        for m in db.session.scalars(select(Meeting))
    }
    free_pairs = [
        (a, b)
        for a in people
        for b in people
        if a.id < b.id
        and a.organisation_id != b.organisation_id
        and frozenset((a.id, b.id)) not in paired
    ]
    (a1, b1), (a2, b2) = free_pairs[0], free_pairs[-1]
    with webhook_receiver() as receiver:
        response = client.post(f"{api}/webhooks", json={"url": receiver.url}, headers=headers)
        assert response.status_code == 201
        receiver.secret = response.json["secret"]
        # An organiser's suggestion the invitee declines; an arranged meeting.
        suggestion = client.post(
            f"{api}/meeting-requests",
            json={"requester_id": a1.id, "invitee_id": b1.id, "accept_now": False},
            headers=headers,
        )
        assert suggestion.status_code == 201, suggestion.json
        request = db.session.get(MeetingRequest, suggestion.json["id"])
        assert request is not None
        decline_request(request, request.invitee)
        db.session.commit()
        arranged = client.post(
            f"{api}/meeting-requests",
            json={"requester_id": a2.id, "invitee_id": b2.id},
            headers=headers,
        )
        assert arranged.status_code == 201, arranged.json
        # A new schedule: the arranged meeting is new, one meeting moves.
        event = db.session.get(Event, demo.event_id)
        assert event is not None
        draft = place_greedily(event)
        db.session.commit()
        moved_id = _move_one(event, draft.id)
        published = client.post(f"{api}/schedules/{draft.id}/publish", headers=headers)
        assert published.status_code == 200, published.json
        assert moved_id in published.json["diff"]["moved"]
        # On the day.
        others = [
            m.id
            for m in db.session.scalars(
                select(Meeting).where(Meeting.status == "scheduled").order_by(Meeting.id)
            )
        ]
        for meeting_id, outcome in zip(others, ("held", "no-show", "cancel"), strict=False):
            answer = client.post(f"{api}/meetings/{meeting_id}/{outcome}", headers=headers)
            assert answer.status_code == 200, answer.json
        expected = {kind.value for kind in WebhookKind}
        _wait_for(lambda: set(_kinds(receiver)) == expected)
    assert set(_kinds(receiver)) == expected
