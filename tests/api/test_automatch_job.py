"""The automatch job: proposals within per-participant targets, confirmed into meetings."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Job, Meeting, MeetingRequest
from api.solving.execute import run_job
from tests.api.conftest import Caller

REQUEST = "Battery recycling partner for used cells"
OFFERS = tuple(
    f"Battery recycling pilot line for used cells {detail}"
    for detail in ("", "lithium", "black mass", "collection")
)


@pytest.fixture
def market(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any, organiser: Caller
) -> dict[str, list[Caller]]:
    """Two hosted buyers looking for battery recycling, four suppliers offering it."""
    countries = ("DE", "FR", "IT", "PL", "NL", "BE")
    client.post(
        f"/api/v1/events/{event['id']}/tags",
        json={"slug": "batteries", "label": "Batteries", "kind": "sector"},
        headers=organiser.headers,
    )

    def make(group: str, country: str, kind: str, title: str) -> Caller:
        caller: Caller = participant_factory(
            group=group,
            organisation={"name": f"{group} {title} {country}", "type": "sme", "country": country},
        )
        response = client.post(
            f"/api/v1/events/{event['id']}/opportunities",
            json={"kind": kind, "title": title, "tags": ["batteries"]},
            headers=caller.headers,
        )
        assert response.status_code == 201, response.json
        return caller

    buyers = [make("buyer", countries[i], "request", REQUEST) for i in range(2)]
    suppliers = [make("supplier", countries[2 + i], "offer", OFFERS[i]) for i in range(4)]
    response = client.patch(
        f"/api/v1/events/{event['id']}",
        json={"rules": {"allowed_group_pairs": [["buyer", "supplier"]]}},
        headers=organiser.headers,
    )
    assert response.status_code == 200, response.json
    return {"buyers": buyers, "suppliers": suppliers}


def _run(event: dict[str, Any], **params: Any) -> Job:
    job = Job(event_id=event["id"], kind="automatch", params={"time_limit": 60, **params})
    db.session.add(job)
    db.session.commit()
    run_job(job.id)
    db.session.expire_all()
    stored = db.session.get(Job, job.id)
    assert stored is not None
    return stored


def _proposals(event: dict[str, Any]) -> list[MeetingRequest]:
    return list(
        db.session.scalars(
            select(MeetingRequest).where(
                MeetingRequest.event_id == event["id"],
                MeetingRequest.origin == "auto_match",
                MeetingRequest.status == "pending",
            )
        )
    )


def _degrees(requests: list[MeetingRequest]) -> Counter[int]:
    degree: Counter[int] = Counter()
    for r in requests:
        degree[r.requester_id] += 1
        degree[r.invitee_id] += 1
    return degree


TARGETS = {"min_meetings": {"buyer": 2}, "max_meetings": {"buyer": 2, "supplier": 1}}


def test_proposals_respect_minimum_and_maximum(
    event: dict[str, Any], market: dict[str, list[Caller]]
) -> None:
    job = _run(event, **TARGETS)
    assert job.status == "succeeded", job.error
    assert job.result["status"] in ("optimal", "feasible")
    assert job.result["shortfalls"] == []
    proposals = _proposals(event)
    assert job.result["proposals"] == len(proposals) == 4
    degree = _degrees(proposals)
    assert all(degree[b.id] == 2 for b in market["buyers"])
    assert all(degree[s.id] <= 1 for s in market["suppliers"])
    assert all(p.score and p.score > 0 for p in proposals)
    assert all(p.message.startswith("Suggested by auto-matching") for p in proposals)
    buyers = {b.id for b in market["buyers"]}
    # The group rule: every proposal pairs a buyer with a supplier.
    assert all((p.requester_id in buyers) != (p.invitee_id in buyers) for p in proposals)


def test_shortfall_is_reported_when_minimums_cannot_be_met(
    event: dict[str, Any], market: dict[str, list[Caller]]
) -> None:
    job = _run(event, min_meetings={"buyer": 3}, max_meetings={"buyer": 3, "supplier": 1})
    assert job.status == "succeeded", job.error
    assert job.result["shortfall_count"] >= 1
    assert all(
        d <= 1
        for s, d in _degrees(_proposals(event)).items()
        if s not in {b.id for b in market["buyers"]}
    )


def test_confirm_turns_proposals_into_meetings(
    client: FlaskClient, event: dict[str, Any], market: dict[str, list[Caller]], organiser: Caller
) -> None:
    _run(event, **TARGETS)
    buyer = market["buyers"][0]
    url = f"/api/v1/events/{event['id']}/meeting-requests"
    assert client.get(url, headers=buyer.headers).json == []  # drafts are the organiser's
    assert (
        client.post(f"{url}/confirm-proposals", json={}, headers=buyer.headers).status_code == 403
    )
    confirmed = client.post(f"{url}/confirm-proposals", json={}, headers=organiser.headers)
    assert confirmed.status_code == 200, confirmed.json
    assert len(confirmed.json["confirmed"]) == 4 and confirmed.json["skipped"] == []
    assert all(r["status"] == "accepted" and r["meeting_id"] for r in confirmed.json["confirmed"])
    meetings = list(db.session.scalars(select(Meeting).where(Meeting.event_id == event["id"])))
    assert len(meetings) == 4 and {m.status for m in meetings} == {"accepted"}
    assert len(client.get(url, headers=buyer.headers).json) == 2


def test_confirm_a_chosen_list_and_skip_the_rest(
    client: FlaskClient, event: dict[str, Any], market: dict[str, list[Caller]], organiser: Caller
) -> None:
    _run(event, **TARGETS)
    first, *others = sorted(p.id for p in _proposals(event))
    url = f"/api/v1/events/{event['id']}/meeting-requests/confirm-proposals"
    answer = client.post(url, json={"ids": [first, 9999]}, headers=organiser.headers)
    assert [r["id"] for r in answer.json["confirmed"]] == [first]
    assert [s["id"] for s in answer.json["skipped"]] == [9999]
    assert sorted(p.id for p in _proposals(event)) == others


def test_a_new_run_replaces_pending_proposals_and_counts_meetings(
    client: FlaskClient, event: dict[str, Any], market: dict[str, list[Caller]], organiser: Caller
) -> None:
    _run(event, **TARGETS)
    first = sorted(p.id for p in _proposals(event))[0]
    url = f"/api/v1/events/{event['id']}/meeting-requests/confirm-proposals"
    client.post(url, json={"ids": [first]}, headers=organiser.headers)
    job = _run(event, **TARGETS)
    assert job.status == "succeeded", job.error
    proposals = _proposals(event)
    assert first not in {p.id for p in proposals}
    # One meeting already exists: three more complete the buyers' targets.
    assert len(proposals) == 3
    confirmed = db.session.get(MeetingRequest, first)
    assert confirmed is not None
    pair = {confirmed.requester_id, confirmed.invitee_id}
    assert all({p.requester_id, p.invitee_id} != pair for p in proposals)


def test_bad_targets_fail_the_job_readably(
    event: dict[str, Any], market: dict[str, list[Caller]]
) -> None:
    job = _run(event, min_meetings="many")
    assert job.status == "failed"
    assert "min_meetings" in job.error
