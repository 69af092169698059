"""``clustermeet bench jobs``: job throughput and job API latency on the configured backend.

It runs against whatever the environment configures: the embedded thread, or Celery
workers (start them first). It creates its own synthetic events under a throw-away
organiser and deletes them afterwards. docs/benchmarks/jobs.md has the figures and
``python -m tests.integration.run_jobs_bench`` reproduces them with 1 and 2 workers.
"""

from __future__ import annotations

import json
import random
import secrets
import statistics
import threading
import time
from collections.abc import Callable
from datetime import date
from datetime import time as clock
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from api.accounts.auth import create_organiser
from api.extensions import db
from api.models import (
    Event,
    EventMember,
    Job,
    Meeting,
    MeetingBlock,
    MeetingTable,
    Organisation,
    Organiser,
    Participant,
)
from api.models.enums import JobStatus, MeetingStatus
from api.models.jobs import ACTIVE_JOB_STATUSES

COUNTRIES = ("ES", "FR", "DE", "IT", "PL", "NL", "BE", "PT")


def create_meeting_event(
    organiser_id: int,
    *,
    participants: int = 60,
    meetings_each: int = 5,
    tables: int = 12,
    seed: int = 7,
) -> int:
    """A one-day matchmaking event with 13 slots and random accepted meetings; commits."""
    rng = random.Random(seed)
    suffix = secrets.token_hex(4)
    event = Event(
        organiser_id=organiser_id,
        slug=f"jobs-{suffix}",
        name=f"Clusters meet Regions {suffix}",
        timezone="Europe/Brussels",
        start_date=date(2027, 3, 10),
        end_date=date(2027, 3, 10),
        meeting_length_min=30,
        fairness=2,
    )
    event.meeting_blocks = [
        MeetingBlock(day=date(2027, 3, 10), start_time=clock(9, 30), end_time=clock(12, 30)),
        MeetingBlock(day=date(2027, 3, 10), start_time=clock(14, 0), end_time=clock(17, 30)),
    ]
    db.session.add(event)
    db.session.flush()
    db.session.add(EventMember(event_id=event.id, organiser_id=organiser_id, role="owner"))
    db.session.add_all(
        MeetingTable(event_id=event.id, name=f"Table {n}") for n in range(1, tables + 1)
    )
    people = [
        Participant(
            event_id=event.id,
            organisation=Organisation(
                event_id=event.id,
                name=f"Cluster {n}",
                type="cluster_organisation" if n % 2 else "sme",
                country=COUNTRIES[n % len(COUNTRIES)],
            ),
            first_name="Ana",
            last_name=f"Ruiz {n}",
            email=f"p{n}@example.org",
        )
        for n in range(participants)
    ]
    db.session.add_all(people)
    db.session.flush()
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < participants * meetings_each // 2:
        a, b = sorted(rng.sample(range(participants), 2))
        pairs.add((a, b))
    db.session.add_all(
        Meeting(
            event_id=event.id,
            participant_a_id=people[a].id,
            participant_b_id=people[b].id,
            status=MeetingStatus.ACCEPTED,
        )
        for a, b in sorted(pairs)
    )
    db.session.commit()
    return event.id


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _api_latency(
    client: FlaskClient, headers: dict[str, str], event_id: int, job_id: int, requests: int
) -> dict[str, float]:
    base = f"/api/v1/events/{event_id}/jobs"
    get_one = [_timed(lambda: client.get(f"{base}/{job_id}", headers=headers))]
    get_list = [_timed(lambda: client.get(base, headers=headers))]
    for _ in range(requests - 1):
        get_one.append(_timed(lambda: client.get(f"{base}/{job_id}", headers=headers)))
        get_list.append(_timed(lambda: client.get(base, headers=headers)))
    return {"get_job_ms": _median_ms(get_one), "list_jobs_ms": _median_ms(get_list)}


def _wait_final(job_ids: list[int], timeout: float) -> list[Job]:
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        jobs = list(db.session.scalars(select(Job).where(Job.id.in_(job_ids))))
        if all(job.status not in ACTIVE_JOB_STATUSES for job in jobs):
            return jobs
        if time.monotonic() > deadline:
            raise click.ClickException(f"jobs still running after {timeout:.0f}s")
        time.sleep(0.05)


@click.command("jobs")
@click.option("--jobs", "n_jobs", default=8, show_default=True, help="Jobs run at once.")
@click.option("--participants", default=20, show_default=True)
@click.option("--meetings-each", default=3, show_default=True)
@click.option("--time-limit", default=5.0, show_default=True, help="Solver limit per job (s).")
@click.option("--requests", default=50, show_default=True, help="Samples per API call.")
@click.option("--timeout", default=600.0, show_default=True, help="Give up after (s).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@with_appcontext
def bench_jobs(
    n_jobs: int,
    participants: int,
    meetings_each: int,
    time_limit: float,
    requests: int,
    timeout: float,
    as_json: bool,
) -> None:
    """Throughput of meetings jobs and latency of the job API (medians)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    organiser, key = create_organiser("bench jobs")
    db.session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    client = app.test_client()
    try:
        events = [
            create_meeting_event(
                organiser.id, participants=participants, meetings_each=meetings_each, seed=n
            )
            for n in range(n_jobs)
        ]
        base = f"/api/v1/events/{events[0]}/jobs"
        post_ms: list[float] = []
        cancel_ms: list[float] = []
        for _ in range(requests):
            started = time.perf_counter()
            posted = client.post(base, json={"kind": "meetings"}, headers=headers)
            post_ms.append(time.perf_counter() - started)
            if posted.status_code != 202:
                raise click.ClickException(f"POST answered {posted.status_code}: {posted.json}")
            url = f"{base}/{posted.json['id']}"
            started = time.perf_counter()
            client.delete(url, headers=headers)
            cancel_ms.append(time.perf_counter() - started)
            # A worker may have started it already; the next POST must find none active.
            _wait_final([posted.json["id"]], 30)
        idle = _api_latency(client, headers, events[0], posted.json["id"], requests)

        started = time.monotonic()
        job_ids = []
        for event_id in events:
            answer = client.post(
                f"/api/v1/events/{event_id}/jobs",
                json={"kind": "meetings", "params": {"time_limit": time_limit}},
                headers=headers,
            )
            job_ids.append(answer.json["id"])
        loaded: dict[str, float] = {}
        sampler = threading.Thread(
            target=lambda: loaded.update(
                _with_context(app, _api_latency, headers, events[0], job_ids[0], requests)
            )
        )
        sampler.start()
        jobs = _wait_final(job_ids, timeout)
        wall = time.monotonic() - started
        sampler.join(timeout)
        failed = [job.id for job in jobs if job.status != JobStatus.SUCCEEDED]
        if failed:
            raise click.ClickException(f"jobs {failed} did not succeed")
        queue_s = [(j.started_dt - j.created_dt).total_seconds() for j in jobs if j.started_dt]
        run_s = [float(j.result["seconds"]) for j in jobs]
        report = {
            "backend": app.config["JOBS_BACKEND"],
            "database": db.engine.dialect.name,
            "jobs": n_jobs,
            "participants": participants,
            "meetings": participants * meetings_each // 2,
            "wall_s": round(wall, 2),
            "jobs_per_min": round(n_jobs / wall * 60, 1),
            "median_job_run_s": round(statistics.median(run_s), 3),
            "median_queue_wait_s": round(statistics.median(queue_s), 3),
            "post_job_ms": _median_ms(post_ms),
            "cancel_queued_ms": _median_ms(cancel_ms),
            "get_job_ms": idle["get_job_ms"],
            "list_jobs_ms": idle["list_jobs_ms"],
            "get_job_busy_ms": loaded.get("get_job_ms"),
            "get_job_busy_ratio": round(loaded["get_job_ms"] / idle["get_job_ms"], 2)
            if loaded
            else None,
        }
    finally:
        db.session.rollback()
        db.session.execute(delete(Event).where(Event.organiser_id == organiser.id))
        db.session.execute(delete(Organiser).where(Organiser.id == organiser.id))
        db.session.commit()
    if as_json:
        click.echo(json.dumps(report))
    else:
        for name, value in report.items():
            click.echo(f"{name:>22}  {value}")


def _with_context(app: Any, function: Callable[..., dict[str, float]], *args: Any) -> Any:
    """Run ``function(client, *args)`` in its own app context (a thread needs one)."""
    with app.app_context():
        return function(app.test_client(), *args)
