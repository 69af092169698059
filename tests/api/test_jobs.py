"""The job API in embedded mode: jobs run on the in-process thread, same contract as Celery."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from api.extensions import db
from api.models import Job, MeetingBlock, ScheduleVersion
from api.solving.execute import FINAL_STATUSES, run_job
from tests.api.conftest import ANONYMOUS_HEADERS, Caller
from tests.integration.factories import meeting_event


def _job(event_id: int, **values: Any) -> Job:
    """A job row as a worker would have left it (nothing is submitted to the runner)."""
    job = Job(event_id=event_id, kind=values.pop("kind", "meetings"), **values)
    db.session.add(job)
    db.session.commit()
    return job


def _url(event_id: int, job_id: int | None = None) -> str:
    base = f"/api/v1/events/{event_id}/jobs"
    return base if job_id is None else f"{base}/{job_id}"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("post", ""), ("get", "/1"), ("delete", "/1")],
)
def test_anonymous_callers_get_401(
    client: FlaskClient, event: dict[str, Any], method: str, path: str
) -> None:
    response = getattr(client, method)(
        _url(event["id"]) + path, json={"kind": "meetings"}, headers=ANONYMOUS_HEADERS
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("post", ""), ("get", "/1"), ("delete", "/1")],
)
def test_other_organisers_get_403(
    client: FlaskClient, event: dict[str, Any], organiser_factory: Any, method: str, path: str
) -> None:
    other: Caller = organiser_factory("Someone else")
    response = getattr(client, method)(
        _url(event["id"]) + path, json={"kind": "meetings"}, headers=other.headers
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_unknown_kind_and_bad_params_are_422(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    response = client.post(
        _url(event["id"]),
        json={"kind": "dance", "params": {"time_limit": -1, "colour": "red"}},
        headers=organiser.headers,
    )
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert set(errors) == {"kind", "params"}
    assert set(errors["params"]) == {"time_limit", "colour"}


def test_list_filters_by_kind_and_status_newest_first(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    done = _job(event["id"], status="succeeded")
    failed = _job(event["id"], status="failed", error="No common free slot")
    _job(event["id"], kind="agenda", status="succeeded")
    response = client.get(
        _url(event["id"]), query_string={"kind": "meetings"}, headers=organiser.headers
    )
    assert response.status_code == 200
    assert [job["id"] for job in response.json] == [failed.id, done.id]
    response = client.get(
        _url(event["id"]),
        query_string={"kind": "meetings", "status": "failed"},
        headers=organiser.headers,
    )
    assert [(job["id"], job["error"]) for job in response.json] == [
        (failed.id, "No common free slot")
    ]


def test_list_is_paginated(client: FlaskClient, event: dict[str, Any], organiser: Caller) -> None:
    for _ in range(3):
        _job(event["id"], status="succeeded")
    response = client.get(
        _url(event["id"]), query_string={"page": 2, "page_size": 2}, headers=organiser.headers
    )
    assert response.status_code == 200
    assert len(response.json) == 1
    assert '"total": 3' in response.headers["X-Pagination"]


def test_a_job_of_another_event_is_404(
    client: FlaskClient, event_factory: Any, organiser: Caller
) -> None:
    mine, other = event_factory(), event_factory()
    job = _job(other["id"], status="succeeded")
    response = client.get(_url(mine["id"], job.id), headers=organiser.headers)
    assert response.status_code == 404
    response = client.delete(_url(mine["id"], job.id), headers=organiser.headers)
    assert response.status_code == 404


def test_cancelling_a_queued_job_is_immediate_and_the_worker_skips_it(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    job = _job(event["id"], status="queued")
    response = client.delete(_url(event["id"], job.id), headers=organiser.headers)
    assert response.status_code == 202
    assert response.json["status"] == "cancelled"
    assert run_job(job.id) == "cancelled"
    db.session.refresh(job)
    assert job.attempts == 0


def test_cancelling_a_finished_job_is_409(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    job = _job(event["id"], status="succeeded")
    response = client.delete(_url(event["id"], job.id), headers=organiser.headers)
    assert response.status_code == 409
    assert "already finished" in response.json["message"]


def test_a_job_that_keeps_killing_its_worker_fails_readably(
    app: Flask, event: dict[str, Any]
) -> None:
    job = _job(event["id"], status="running", attempts=3)
    assert run_job(job.id) == "failed"
    db.session.refresh(job)
    assert "interrupted 3 times" in job.error
    assert job.finished_dt is not None


def test_redelivered_finished_job_does_nothing(app: Flask, event: dict[str, Any]) -> None:
    job = _job(event["id"], status="succeeded", attempts=1, result={"scheduled": 3})
    assert run_job(job.id) == "succeeded"
    db.session.refresh(job)
    assert (job.attempts, job.result) == (1, {"scheduled": 3})


# The meetings job end to end on the embedded thread.


def _poll(
    client: FlaskClient, url: str, headers: dict[str, str], until: Any, timeout: float
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(url, headers=headers).json
        if until(body):
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"job still {body['status']} after {timeout}s: {body}")
        time.sleep(0.1)


def _versions(event_id: int) -> int:
    query = select(func.count()).select_from(ScheduleVersion)
    return db.session.scalar(query.where(ScheduleVersion.event_id == event_id)) or 0


def test_meetings_job_succeeds_with_progress_and_a_draft(
    client: FlaskClient, organiser: Caller
) -> None:
    event_id, _ = meeting_event(participants=16, meetings_each=3, organiser_id=organiser.id)
    response = client.post(
        _url(event_id),
        json={"kind": "meetings", "params": {"time_limit": 2}},
        headers=organiser.headers,
    )
    assert response.status_code == 202
    assert response.json["status"] in ("queued", "running", "succeeded")
    assert response.json["params"]["time_limit"] == 2
    job = _poll(
        client,
        _url(event_id, response.json["id"]),
        organiser.headers,
        lambda body: body["status"] in FINAL_STATUSES,
        timeout=30,
    )
    assert job["status"] == "succeeded", job
    assert job["error"] == ""
    assert job["attempts"] == 1
    assert {"version_id", "seconds"} <= set(job["result"])
    assert "elapsed" in job["progress"]
    assert _versions(event_id) == 1


def test_posting_while_a_job_runs_returns_that_job(client: FlaskClient, organiser: Caller) -> None:
    event_id, _ = meeting_event(participants=4, meetings_each=1, organiser_id=organiser.id)
    running = _job(event_id, status="running", attempts=1)
    response = client.post(_url(event_id), json={"kind": "meetings"}, headers=organiser.headers)
    assert response.status_code == 200
    assert response.json["id"] == running.id
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_cancel_stops_a_running_solve_and_stores_nothing(
    client: FlaskClient, organiser: Caller
) -> None:
    event_id, _ = meeting_event(participants=60, meetings_each=5, organiser_id=organiser.id)
    job_id = client.post(
        _url(event_id),
        json={"kind": "meetings", "params": {"time_limit": 600}},
        headers=organiser.headers,
    ).json["id"]
    url = _url(event_id, job_id)
    _poll(client, url, organiser.headers, lambda body: body["status"] == "running", 120)
    response = client.delete(url, headers=organiser.headers)
    assert response.status_code == 202
    assert response.json["is_cancel_requested"] is True
    # "cancelled", not "succeeded" after the ten-minute limit: the cancel stopped it.
    job = _poll(client, url, organiser.headers, lambda b: b["status"] in FINAL_STATUSES, 300)
    assert job["status"] == "cancelled"
    assert _versions(event_id) == 0


def test_a_job_on_an_event_without_slots_fails_readably(
    client: FlaskClient, organiser: Caller
) -> None:
    event_id, _ = meeting_event(participants=6, meetings_each=2, organiser_id=organiser.id)
    db.session.execute(delete(MeetingBlock).where(MeetingBlock.event_id == event_id))
    db.session.commit()
    job_id = client.post(_url(event_id), json={"kind": "meetings"}, headers=organiser.headers).json[
        "id"
    ]
    job = _poll(
        client,
        _url(event_id, job_id),
        organiser.headers,
        lambda body: body["status"] in FINAL_STATUSES,
        timeout=30,
    )
    assert job["status"] == "failed"
    assert job["error"] and "Traceback" not in job["error"]
    assert "Internal error" not in job["error"]
    assert "no meeting slots" in job["error"]
    assert _versions(event_id) == 0


@pytest.mark.parametrize(("fairness", "placed"), [(None, 3), (2, 3), (0, 2)])
def test_the_fairness_parameter_bounds_each_participants_breaks(
    sqlite_app: Flask, fairness: int | None, placed: int
) -> None:
    """Three people who all meet each other at one table: whoever has the first and the
    last of the three meetings waits in between, so only two fit without a break."""
    event_id, _ = meeting_event(participants=3, meetings_each=2, tables=1)
    params: dict[str, Any] = {"time_limit": 10, "workers": 1}
    if fairness != 2:  # 2 is the event's own setting: the job without the parameter
        params["fairness"] = fairness
    job = _job(event_id, params=params)
    assert run_job(job.id) == "succeeded"
    db.session.refresh(job)
    assert job.result["meetings"] == 3
    assert job.result["scheduled"] == placed
    assert job.result["max_breaks"] <= (1 if fairness is None else fairness)
