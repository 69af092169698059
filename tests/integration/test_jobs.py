"""Jobs on real Celery workers, Redis and PostgreSQL: progress, cancel, crash recovery."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from api.extensions import db
from api.models import Job, MeetingPlacement, ScheduleVersion
from api.solving.execute import FINAL_STATUSES
from tests.integration.conftest import VISIBILITY_TIMEOUT_S, WorkerPool, wait_for
from tests.integration.factories import meeting_event

# One xdist worker runs them all, so Redis, PostgreSQL and Celery start once.
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]


def _start(client: FlaskClient, event_id: int, key: str, time_limit: float) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/events/{event_id}/jobs",
        json={"kind": "meetings", "params": {"time_limit": time_limit}},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 202, response.json
    assert response.json is not None
    body: dict[str, Any] = response.json
    return body


def _job(job_id: int) -> Job:
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job is not None
    return job


def _stored(event_id: int) -> tuple[int, int]:
    """Schedule versions and placements stored for the event."""
    db.session.expire_all()
    versions = db.session.scalar(
        select(func.count())
        .select_from(ScheduleVersion)
        .where(ScheduleVersion.event_id == event_id)
    )
    placements = db.session.scalar(
        select(func.count())
        .select_from(MeetingPlacement)
        .join(ScheduleVersion, MeetingPlacement.version_id == ScheduleVersion.id)
        .where(ScheduleVersion.event_id == event_id)
    )
    return versions or 0, placements or 0


def _solving(job_id: int) -> bool:
    job = _job(job_id)
    return job.status == "running" and "objective" in job.progress


def _final(job_id: int) -> Job | None:
    job = _job(job_id)
    return job if job.status in FINAL_STATUSES else None


def test_job_reports_progress_and_succeeds(
    api_client: FlaskClient, worker_pool: WorkerPool
) -> None:
    worker_pool.ensure(1)
    event_id, key = meeting_event(participants=60, meetings_each=6, tables=10)
    # The solver returns the best schedule it found at its limit (never nothing), so a
    # short limit is enough on any machine.
    posted = _start(api_client, event_id, key, time_limit=3)
    assert posted["status"] == "queued"
    # Waits are upper bounds for a loaded machine; the test ends as soon as the job does.
    job = wait_for(lambda: _final(posted["id"]), 180, "the job to finish")
    assert job.status == "succeeded", job.error
    # What the solver reported while it ran stays on the job.
    assert {"objective", "bound", "elapsed"} <= set(job.progress)
    assert job.attempts == 1
    versions, placements = _stored(event_id)
    assert versions == 1
    assert placements > 0
    assert job.result["version_id"] is not None


def test_cancel_stops_a_running_solve(api_client: FlaskClient, worker_pool: WorkerPool) -> None:
    worker_pool.ensure(1)
    # A solve far longer than the wait below: "cancelled" (not "succeeded") proves the
    # cancel stopped it, however slow the machine is.
    event_id, key = meeting_event(participants=120, meetings_each=8, tables=15)
    posted = _start(api_client, event_id, key, time_limit=600)
    wait_for(lambda: _solving(posted["id"]), 90, "the solve to start")

    response = api_client.delete(
        f"/api/v1/events/{event_id}/jobs/{posted['id']}",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 202
    job = wait_for(lambda: _final(posted["id"]), 120, "the solver to stop", interval=0.1)
    assert job.status == "cancelled"
    assert _stored(event_id) == (0, 0)


def test_killed_worker_leaves_nothing_and_another_worker_finishes(
    api_client: FlaskClient, worker_pool: WorkerPool
) -> None:
    workers = worker_pool.ensure(2)
    logs_before = {w.name: len(w.output()) for w in workers}
    event_id, key = meeting_event(participants=60, meetings_each=6, tables=10, seed=11)
    # The kill follows the first progress report (probes and bounds report from the
    # start of the search) by a poll interval; 5 s of solving leaves the job running then.
    posted = _start(api_client, event_id, key, time_limit=5)
    wait_for(lambda: _solving(posted["id"]), 90, "the solve to start")
    solving = [w for w in workers if " received" in w.output()[logs_before[w.name] :]]
    assert len(solving) == 1, "exactly one worker should have taken the job"
    victim = solving[0]

    victim.kill()
    orphan = _job(posted["id"])
    assert (orphan.status, orphan.attempts) == ("running", 1)
    assert _stored(event_id) == (0, 0)

    # Redelivery waits for the visibility timeout and the next restore sweep; the margin
    # covers a loaded 2-core machine (the test still ends as soon as the job does).
    job = wait_for(
        lambda: _final(posted["id"]), VISIBILITY_TIMEOUT_S + 90, "another worker to run it"
    )
    assert job.status == "succeeded", job.error
    assert job.attempts == 2
    survivor = next(w for w in workers if w is not victim)
    assert " received" in survivor.output()[logs_before[survivor.name] :]
    versions, placements = _stored(event_id)
    assert versions == 1
    assert placements > 0


def test_killed_solver_process_is_requeued_at_once(
    api_client: FlaskClient, worker_pool: WorkerPool
) -> None:
    # The out-of-memory case: the kernel kills the solving process, its Celery parent
    # survives and, with reject_on_worker_lost, puts the job back on the queue at once.
    workers = worker_pool.ensure(2)
    logs_before = {w.name: len(w.output()) for w in workers}
    event_id, key = meeting_event(participants=60, meetings_each=6, tables=10, seed=5)
    # The second attempt returns the best schedule found in its 5 s (never nothing).
    posted = _start(api_client, event_id, key, time_limit=5)
    wait_for(lambda: _solving(posted["id"]), 90, "the solve to start")
    (victim,) = [w for w in workers if " received" in w.output()[logs_before[w.name] :]]
    for pid in victim.pool_processes():
        os.kill(pid, signal.SIGKILL)
    assert _stored(event_id) == (0, 0)

    job = wait_for(lambda: _final(posted["id"]), 240, "the job to run again")
    assert job.status == "succeeded", job.error
    assert job.attempts == 2
    assert _stored(event_id)[0] == 1


def test_three_events_solved_at_once_by_two_workers_all_complete(
    api_client: FlaskClient, worker_pool: WorkerPool
) -> None:
    worker_pool.ensure(2)
    events = [meeting_event(participants=40, meetings_each=4, tables=20, seed=n) for n in range(3)]
    # These solves take milliseconds, so whether two ever overlap would be luck. A lock on
    # the meetings table holds every job between its claim and the reading of its event:
    # each worker then keeps the one job it took, and the third waits in the queue.
    with db.engine.connect() as gate:
        gate.execute(text("SET LOCAL lock_timeout = '30s'"))
        gate.execute(text("LOCK TABLE meetings IN ACCESS EXCLUSIVE MODE"))
        try:
            posted = [_start(api_client, event_id, key, time_limit=3) for event_id, key in events]
            ids = [p["id"] for p in posted]
            held = wait_for(
                lambda: _two_running(ids),
                120,
                "both workers to take a job",
            )
            assert sorted(held) == ["queued", "running", "running"]
        finally:
            gate.rollback()

    jobs: list[Job] = [
        wait_for(lambda job_id=i: _final(job_id), 240, "all three jobs") for i in ids
    ]
    assert [job.status for job in jobs] == ["succeeded"] * 3, [job.error for job in jobs]
    assert [job.attempts for job in jobs] == [1, 1, 1]
    assert all(_stored(event_id)[0] == 1 for event_id, _ in events)
    # The two held jobs ran side by side: each started before the other finished.
    first, second = sorted(jobs, key=lambda job: job.started_dt)[:2]
    assert first.finished_dt is not None and second.started_dt is not None
    assert second.started_dt < first.finished_dt


def _two_running(job_ids: list[int]) -> list[str] | None:
    """The jobs' statuses once two of them run, else None."""
    statuses = [_job(job_id).status for job_id in job_ids]
    return statuses if statuses.count("running") == 2 else None
