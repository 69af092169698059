"""Job claims in several processes: leases, heartbeats, one active job per event and kind."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from api.extensions import db
from api.models import Job
from api.models.types import now_utc
from api.solving.execute import renew_lease, run_job
from tests.api.conftest import Caller


def _job(event_id: int, **values: Any) -> Job:
    """A job row as another process would have left it (not submitted to any runner)."""
    job = Job(event_id=event_id, kind=values.pop("kind", "meetings"), **values)
    db.session.add(job)
    db.session.commit()
    return job


def _leased_elsewhere(event_id: int, seconds: float, **values: Any) -> Job:
    return _job(
        event_id,
        status="running",
        attempts=1,
        lease_owner="host-b:4242:other",
        lease_expires_dt=now_utc() + timedelta(seconds=seconds),
        **values,
    )


def test_a_job_leased_by_a_live_process_is_not_claimed(app: Flask, event: dict[str, Any]) -> None:
    job = _leased_elsewhere(event["id"], 600)
    assert run_job(job.id, lease_owner="host-a:1:me") == "leased"
    db.session.refresh(job)
    assert (job.status, job.attempts, job.lease_owner) == ("running", 1, "host-b:4242:other")


def test_a_job_whose_lease_expired_is_taken_over(app: Flask, event: dict[str, Any]) -> None:
    job = _leased_elsewhere(event["id"], -1, params={"time_limit": 2.0})
    status = run_job(job.id, lease_owner="host-a:1:me")
    db.session.refresh(job)
    assert status == job.status
    assert job.status in ("succeeded", "failed")
    assert (job.attempts, job.lease_owner) == (2, "host-a:1:me")


def test_another_processes_recovery_leaves_a_leased_job_alone(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    """What ``gunicorn -w 4`` without a broker did: every worker ran every running job."""
    foreign = _leased_elsewhere(event["id"], 600)
    response = client.post(
        f"/api/v1/events/{event['id']}/jobs",
        json={"kind": "agenda", "params": {"time_limit": 2.0}},
        headers=organiser.headers,
    )
    assert response.status_code == 202, response.json
    assert app.extensions["clustermeet_jobs"].join(timeout=120)
    db.session.refresh(foreign)
    assert (foreign.status, foreign.attempts) == ("running", 1)


def test_a_heartbeat_renews_only_the_current_attempts_lease(
    app: Flask, event: dict[str, Any]
) -> None:
    job = _leased_elsewhere(event["id"], 5)
    before = job.lease_expires_dt
    assert before is not None
    assert renew_lease(db.engine, job.id, 1, 600)
    assert not renew_lease(db.engine, job.id, 0, 600)
    db.session.refresh(job)
    assert job.lease_expires_dt is not None and job.lease_expires_dt > before + timedelta(
        seconds=60
    )


@pytest.mark.postgres
def test_the_database_refuses_a_second_active_job_of_a_kind(
    app: Flask, event: dict[str, Any]
) -> None:
    _job(event["id"], status="queued")
    _job(event["id"], status="succeeded")  # finished jobs do not count
    _job(event["id"], kind="agenda", status="running")  # nor jobs of another kind
    db.session.add(Job(event_id=event["id"], kind="meetings", status="running"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def _post_at_once(app: Flask, url: str, body: dict[str, Any], headers: dict[str, str]) -> list[int]:
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def post() -> None:
        local = app.test_client()
        barrier.wait()
        codes.append(local.post(url, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


@pytest.mark.postgres
def test_simultaneous_posts_start_one_job(
    app: Flask, event: dict[str, Any], organiser: Caller
) -> None:
    url = f"/api/v1/events/{event['id']}/jobs"
    for kind in ("agenda", "meetings", "automatch"):
        body = {"kind": kind, "params": {"time_limit": 2.0}}
        # Held back until all four have answered: a job that finished between two posts
        # (a first-fit agenda takes milliseconds) would rightly let a second one start.
        with app.extensions["clustermeet_jobs"].paused():
            codes = _post_at_once(app, url, body, organiser.headers)
        assert sorted(codes) == [200, 200, 200, 202], codes
        assert app.extensions["clustermeet_jobs"].join(timeout=120)
        created = db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == kind))
        assert created == 1
