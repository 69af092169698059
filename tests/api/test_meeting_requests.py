"""Meeting requests through the API: creation rules, every transition, expiry, caps."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.cli import cli
from api.extensions import db
from api.models import Event, Meeting, MeetingRequest
from api.models.types import now_utc
from api.requests.operations import expire_requests
from tests.api.conftest import Caller, participant_payload, signed_in


def _url(event: dict[str, Any], suffix: str = "") -> str:
    return f"/api/v1/events/{event['id']}/meeting-requests{suffix}"


def _ask(client: FlaskClient, event: dict[str, Any], who: Caller, whom: Caller, **body: Any) -> Any:
    return client.post(
        _url(event),
        json={"invitee_id": whom.id, "message": "Shall we meet?", **body},
        headers=who.headers,
    )


def _act(
    client: FlaskClient, event: dict[str, Any], request_id: int, action: str, who: Caller
) -> Any:
    return client.post(_url(event, f"/{request_id}/{action}"), headers=who.headers)


def _settings(client: FlaskClient, event: dict[str, Any], organiser: Caller, **values: Any) -> None:
    response = client.patch(f"/api/v1/events/{event['id']}", json=values, headers=organiser.headers)
    assert response.status_code == 200, response.json


def _meetings(request_id: int) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(Meeting.request_id == request_id)))


@pytest.fixture
def pair(participant_factory: Any) -> tuple[Caller, Caller]:
    return participant_factory(), participant_factory()


def test_participant_requests_a_meeting_and_both_sides_see_it(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
) -> None:
    alice, bob = pair
    carol = participant_factory()
    created = _ask(client, event, alice, bob)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "pending"
    assert body["origin"] == "participant"
    assert body["message"] == "Shall we meet?"
    assert body["requester"]["id"] == alice.id and body["invitee"]["id"] == bob.id
    assert body["meeting_id"] is None and body["expires_dt"] is None
    assert client.get(_url(event, f"/{body['id']}"), headers=bob.headers).status_code == 200
    assert client.get(_url(event, f"/{body['id']}"), headers=carol.headers).status_code == 404
    assert client.get(_url(event), headers=carol.headers).json == []


def test_list_filters_by_direction_status_and_participant(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
    organiser: Caller,
) -> None:
    alice, bob = pair
    carol = participant_factory()
    to_bob = _ask(client, event, alice, bob).json
    from_carol = _ask(client, event, carol, alice).json
    _act(client, event, from_carol["id"], "decline", alice)

    def ids(query: str, who: Caller) -> list[int]:
        response = client.get(_url(event, query), headers=who.headers)
        assert response.status_code == 200, response.json
        return [r["id"] for r in response.json]

    assert ids("?direction=sent", alice) == [to_bob["id"]]
    assert ids("?direction=received", alice) == [from_carol["id"]]
    assert ids("?status=declined", alice) == [from_carol["id"]]
    assert sorted(ids("", organiser)) == sorted([to_bob["id"], from_carol["id"]])
    assert ids(f"?participant_id={carol.id}", organiser) == [from_carol["id"]]
    assert ids(f"?participant_id={bob.id}&direction=received", organiser) == [to_bob["id"]]
    assert client.get(_url(event, "?direction=sent"), headers=organiser.headers).status_code == 422
    assert client.get(_url(event)).status_code == 401


def test_invitee_accepts_and_exactly_one_meeting_is_created(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller]
) -> None:
    alice, bob = pair
    request_id = _ask(client, event, alice, bob).json["id"]
    accepted = _act(client, event, request_id, "accept", bob)
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted"
    assert accepted.json["answered_dt"] is not None
    meetings = _meetings(request_id)
    assert len(meetings) == 1
    assert meetings[0].status == "accepted"
    assert {meetings[0].participant_a_id, meetings[0].participant_b_id} == {alice.id, bob.id}
    assert accepted.json["meeting_id"] == meetings[0].id
    again = _act(client, event, request_id, "accept", bob)
    assert again.status_code == 409
    assert "already been accepted" in again.json["message"]
    assert len(_meetings(request_id)) == 1


def test_only_the_invitee_answers(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
    organiser: Caller,
) -> None:
    alice, bob = pair
    carol = participant_factory()
    request_id = _ask(client, event, alice, bob).json["id"]
    for action in ("accept", "decline"):
        assert _act(client, event, request_id, action, alice).status_code == 403
        assert _act(client, event, request_id, action, organiser).status_code == 403
        assert _act(client, event, request_id, action, carol).status_code == 404
    assert client.post(_url(event, f"/{request_id}/accept")).status_code == 401
    assert _act(client, event, 9999, "accept", bob).status_code == 404


def test_declined_request_cannot_be_accepted_or_cancelled(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller]
) -> None:
    alice, bob = pair
    request_id = _ask(client, event, alice, bob).json["id"]
    declined = _act(client, event, request_id, "decline", bob)
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    late = _act(client, event, request_id, "accept", bob)
    assert late.status_code == 409
    assert "declined" in late.json["message"]
    assert _act(client, event, request_id, "cancel", alice).status_code == 409
    assert _meetings(request_id) == []


def test_requester_cancels_a_pending_request(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
) -> None:
    alice, bob = pair
    request_id = _ask(client, event, alice, bob).json["id"]
    assert _act(client, event, request_id, "cancel", participant_factory()).status_code == 404
    cancelled = _act(client, event, request_id, "cancel", alice)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    refused = _act(client, event, request_id, "accept", bob)
    assert refused.status_code == 409
    assert "cancelled" in refused.json["message"]


def test_cancelling_an_accepted_request_cancels_its_meeting(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller]
) -> None:
    alice, bob = pair
    request_id = _ask(client, event, alice, bob).json["id"]
    _act(client, event, request_id, "accept", bob)
    cancelled = _act(client, event, request_id, "cancel", bob)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert [m.status for m in _meetings(request_id)] == ["cancelled"]
    # The pair is free again.
    assert _ask(client, event, alice, bob).status_code == 201


def test_organiser_may_cancel_any_request(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller], organiser: Caller
) -> None:
    alice, bob = pair
    request_id = _ask(client, event, alice, bob).json["id"]
    assert _act(client, event, request_id, "cancel", organiser).json["status"] == "cancelled"


def test_no_request_to_oneself(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller]
) -> None:
    alice, _ = pair
    response = _ask(client, event, alice, alice)
    assert response.status_code == 422
    assert "invitee_id" in response.json["errors"]["json"]


def test_no_request_across_events(
    client: FlaskClient,
    event: dict[str, Any],
    event_factory: Any,
    pair: tuple[Caller, Caller],
    participant_factory: Any,
) -> None:
    alice, _ = pair
    elsewhere = participant_factory(event_id=event_factory()["id"])
    response = _ask(client, event, alice, elsewhere)
    assert response.status_code == 422
    assert "another event" in response.json["errors"]["json"]["invitee_id"][0]


def test_no_request_to_hidden_or_unknown_participants(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
) -> None:
    alice, _ = pair
    hidden = participant_factory(is_public=False)
    assert _ask(client, event, alice, hidden).status_code == 422
    assert _ask(client, event, alice, Caller(9999, "")).status_code == 422


def test_participants_request_for_themselves_only(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
) -> None:
    alice, bob = pair
    carol = participant_factory()
    assert _ask(client, event, alice, bob, requester_id=carol.id).status_code == 403
    assert _ask(client, event, alice, bob, accept_now=False).status_code == 422


def test_no_request_between_colleagues(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
) -> None:
    alice, _ = pair
    alice_org = client.get(
        f"/api/v1/events/{event['id']}/participants/{alice.id}", headers=alice.headers
    ).json["organisation"]["id"]
    payload = participant_payload(organisation_id=alice_org)
    del payload["organisation"]
    registered = client.post(f"/api/v1/events/{event['id']}/participants", json=payload)
    assert registered.status_code == 202, registered.json
    colleague = signed_in(event["id"], payload["email"])
    response = _ask(client, event, alice, colleague)
    assert response.status_code == 422
    assert "same organisation" in response.json["errors"]["json"]["invitee_id"][0]


def test_cross_border_rule_applies_to_requests(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    participant_factory: Any,
    organiser: Caller,
) -> None:
    alice, bob = pair  # both Spanish
    _settings(client, event, organiser, rules={"cross_border_only": True})
    response = _ask(client, event, alice, bob)
    assert response.status_code == 422
    assert "across borders" in response.json["errors"]["json"]["invitee_id"][0]
    german = participant_factory(
        organisation={"name": "Bavarian Hydrogen", "type": "sme", "country": "DE"}
    )
    assert _ask(client, event, alice, german).status_code == 201


@pytest.mark.postgres
def test_no_duplicate_open_request_in_either_direction(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller]
) -> None:
    alice, bob = pair
    first = _ask(client, event, alice, bob).json
    duplicate = _ask(client, event, alice, bob)
    assert duplicate.status_code == 409
    assert "already a pending request" in duplicate.json["message"]
    _act(client, event, first["id"], "accept", bob)
    reverse = _ask(client, event, bob, alice)
    assert reverse.status_code == 409
    assert "already have a meeting" in reverse.json["message"]


def test_mutual_requests_make_an_accepted_meeting(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller]
) -> None:
    alice, bob = pair
    first = _ask(client, event, alice, bob).json
    answer = _ask(client, event, bob, alice)
    assert answer.status_code == 200, answer.json
    assert answer.json["id"] == first["id"]
    assert answer.json["status"] == "accepted"
    assert len(_meetings(first["id"])) == 1
    assert db.session.scalar(select(func.count()).select_from(MeetingRequest)) == 1


def test_request_after_a_decline_is_refused(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller]
) -> None:
    alice, bob = pair
    request_id = _ask(client, event, alice, bob).json["id"]
    _act(client, event, request_id, "decline", bob)
    again = _ask(client, event, alice, bob)
    assert again.status_code == 409
    assert "declined" in again.json["message"]


def test_open_request_cap(
    client: FlaskClient,
    event: dict[str, Any],
    participant_factory: Any,
    organiser: Caller,
) -> None:
    _settings(client, event, organiser, meeting_settings={"max_open_requests": 2})
    alice = participant_factory()
    others = [participant_factory() for _ in range(3)]
    first = _ask(client, event, alice, others[0]).json
    assert _ask(client, event, alice, others[1]).status_code == 201
    refused = _ask(client, event, alice, others[2])
    assert refused.status_code == 409
    assert "2 requests waiting for an answer" in refused.json["message"]
    _act(client, event, first["id"], "cancel", alice)
    assert _ask(client, event, alice, others[2]).status_code == 201


def test_meeting_cap_refuses_acceptance(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    _settings(client, event, organiser, meeting_settings={"max_meetings_per_participant": 1})
    alice, bob, carol = participant_factory(), participant_factory(), participant_factory()
    first = _ask(client, event, alice, bob).json
    second = _ask(client, event, carol, bob).json
    assert _act(client, event, first["id"], "accept", bob).status_code == 200
    full = _act(client, event, second["id"], "accept", bob)
    assert full.status_code == 409
    assert "the most this event allows" in full.json["message"]


def test_no_new_requests_after_the_deadline(
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    organiser: Caller,
) -> None:
    alice, bob = pair
    past = (now_utc() - timedelta(hours=1)).isoformat()
    _settings(client, event, organiser, request_deadline_dt=past)
    late = _ask(client, event, alice, bob)
    assert late.status_code == 409
    assert "deadline" in late.json["message"]
    by_organiser = _ask(client, event, organiser, bob, requester_id=alice.id)
    assert by_organiser.status_code == 201


def test_auto_accept_event_accepts_at_once(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller], organiser: Caller
) -> None:
    alice, bob = pair
    _settings(client, event, organiser, meeting_settings={"is_auto_accept": True})
    created = _ask(client, event, alice, bob)
    assert created.status_code == 201
    assert created.json["status"] == "accepted"
    assert len(_meetings(created.json["id"])) == 1


def test_organiser_arranges_a_meeting_for_any_pair(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> None:
    alice, bob, carol = participant_factory(), participant_factory(), participant_factory()
    arranged = _ask(client, event, organiser, bob, requester_id=alice.id)
    assert arranged.status_code == 201, arranged.json
    assert arranged.json["origin"] == "organiser"
    assert arranged.json["status"] == "accepted"
    assert len(_meetings(arranged.json["id"])) == 1
    suggested = _ask(client, event, organiser, carol, requester_id=alice.id, accept_now=False)
    assert suggested.json["status"] == "pending"
    assert _act(client, event, suggested.json["id"], "accept", carol).status_code == 200
    missing = _ask(client, event, organiser, bob)
    assert missing.status_code == 422
    assert "requester_id" in missing.json["errors"]["json"]


def test_pending_requests_expire(
    app: Flask,
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    organiser: Caller,
) -> None:
    alice, bob = pair
    _settings(client, event, organiser, meeting_settings={"request_expiry_hours": 48})
    created = _ask(client, event, alice, bob).json
    request = db.session.get(MeetingRequest, created["id"])
    assert request is not None and request.expires_dt is not None
    assert timedelta(hours=47) < request.expires_dt - request.created_dt <= timedelta(hours=48)
    stored_event = db.session.get(Event, event["id"])
    assert stored_event is not None
    assert expire_requests(stored_event, now_utc() + timedelta(hours=47)) == 0
    assert expire_requests(stored_event, now_utc() + timedelta(hours=49)) == 1
    db.session.commit()
    refused = _act(client, event, created["id"], "accept", bob)
    assert refused.status_code == 409
    assert "expired" in refused.json["message"]


def test_expiry_happens_lazily_on_read(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller], organiser: Caller
) -> None:
    alice, bob = pair
    _settings(client, event, organiser, meeting_settings={"request_expiry_hours": 1})
    created = _ask(client, event, alice, bob).json
    request = db.session.get(MeetingRequest, created["id"])
    assert request is not None
    request.expires_dt = now_utc() - timedelta(minutes=1)
    db.session.commit()
    shown = client.get(_url(event, f"/{created['id']}"), headers=bob.headers)
    assert shown.json["status"] == "expired"
    # An expired request no longer blocks the pair.
    assert _ask(client, event, alice, bob).status_code == 201


def test_expire_command(
    app: Flask,
    client: FlaskClient,
    event: dict[str, Any],
    pair: tuple[Caller, Caller],
    organiser: Caller,
) -> None:
    alice, bob = pair
    _settings(client, event, organiser, meeting_settings={"request_expiry_hours": 1})
    created = _ask(client, event, alice, bob).json
    request = db.session.get(MeetingRequest, created["id"])
    assert request is not None
    request.expires_dt = now_utc() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(cli, args=["requests", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 pending request(s) expired" in result.output
    db.session.expire_all()
    assert db.session.get(MeetingRequest, created["id"]).status == "expired"  # type: ignore[union-attr]


def test_reading_requests_writes_nothing(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller], organiser: Caller
) -> None:
    """An overdue request reads as expired at once; only the next change stores it."""
    from sqlalchemy import event as sa_event

    alice, bob = pair
    _settings(client, event, organiser, meeting_settings={"request_expiry_hours": 1})
    created = _ask(client, event, alice, bob).json
    request = db.session.get(MeetingRequest, created["id"])
    assert request is not None
    request.expires_dt = now_utc() - timedelta(minutes=1)
    db.session.commit()
    statements: list[str] = []
    # The test client serves requests on this thread; mail goes out on another one
    # (the request's notification), whose writes are not the GET's.
    reader = threading.get_ident()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() == reader:
            statements.append(statement.lstrip().split(None, 1)[0].upper())

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        one = client.get(_url(event, f"/{created['id']}"), headers=bob.headers)
        listed = client.get(_url(event, "?status=expired"), headers=organiser.headers)
        pending = client.get(_url(event, "?status=pending"), headers=organiser.headers)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    assert one.json["status"] == "expired"
    assert one.json["answered_dt"] is not None
    assert [r["id"] for r in listed.json] == [created["id"]]
    assert listed.json[0]["status"] == "expired"
    assert created["id"] not in [r["id"] for r in pending.json]
    assert "SELECT" in statements
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements), statements
    db.session.expire_all()
    stored = db.session.get(MeetingRequest, created["id"])
    assert stored is not None and stored.status == "pending"
    # The next change stores the expiry.
    assert _ask(client, event, alice, bob).status_code == 201
    db.session.expire_all()
    stored = db.session.get(MeetingRequest, created["id"])
    assert stored is not None and stored.status == "expired"


def test_a_decline_word_is_in_both_sides_data_exports(
    client: FlaskClient, event: dict[str, Any], pair: tuple[Caller, Caller], organiser: Caller
) -> None:
    alice, bob = pair
    created = _ask(client, event, alice, bob).json
    declined = client.post(
        _url(event, f"/{created['id']}/decline"),
        json={"message": "Not our field, sorry"},
        headers=bob.headers,
    )
    assert declined.status_code == 200, declined.json
    for person in (alice, bob):
        exported = client.get(
            f"/api/v1/events/{event['id']}/participants/{person.id}/data-export",
            headers=organiser.headers,
        )
        assert exported.status_code == 200
        (request,) = exported.json["requests"]
        assert request["answer_message"] == "Not our field, sorry"
