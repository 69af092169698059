"""The organiser's pages through Flask's test client: dashboard, solve, review, publish."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Job, ScheduleVersion
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def _accepted_meeting(client: FlaskClient, event: dict[str, Any], a: Caller, b: Caller) -> None:
    base = f"/api/v1/events/{event['id']}/meeting-requests"
    sent = client.post(base, json={"invitee_id": b.id, "message": "Hi"}, headers=a.headers)
    assert sent.status_code == 201, sent.json
    answer = client.post(f"{base}/{sent.json['id']}/accept", headers=b.headers)
    assert answer.status_code == 200, answer.json


def test_organiser_pages_need_the_events_organiser(
    client: FlaskClient,
    event: dict[str, Any],
    organiser_factory: Any,
    participant_factory: Any,
) -> None:
    url = f"/events/{event['id']}/organise"
    assert client.get(url).status_code == 401
    sign_in(client, participant_factory().token)
    assert client.get(url).status_code == 403
    sign_in(client, organiser_factory("Someone else").token)
    assert client.get(url).status_code == 403


def test_solve_review_and_publish(
    app: Flask,
    client: FlaskClient,
    organiser: Caller,
    event: dict[str, Any],
    participant_factory: Any,
) -> None:
    ana, ben = (
        participant_factory(),
        participant_factory(organisation={"name": "Lyon Hydrogen", "type": "sme", "country": "FR"}),
    )
    _accepted_meeting(client, event, ana, ben)
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise"
    added = client.post(
        f"{url}/tables",
        data={"csrf_token": csrf_of(client, url), "count": "2"},
        follow_redirects=True,
    )
    assert "2 tables added." in added.text and "2 tables so far." in added.text
    dashboard = client.get(url)
    assert dashboard.status_code == 200 and ana.token not in dashboard.text
    assert "Lyon Hydrogen" in dashboard.text
    started = client.post(
        f"{url}/jobs",
        data={"csrf_token": csrf_of(client, url), "kind": "meetings", "time_limit": "5"},
    )
    assert started.status_code == 302
    job_url = started.headers["Location"]
    db.session.rollback()  # hold no SQLite lock while the job thread writes
    assert app.extensions["clustermeet_jobs"].join(timeout=120)
    db.session.rollback()  # a new transaction sees what the job thread wrote
    job = db.session.scalar(select(Job))
    assert job is not None
    assert job.status == "succeeded", job.error
    progress = client.get(job_url, headers={"HX-Request": "true"})
    assert "<html" not in progress.text and "Review the draft" in progress.text
    review_url = re.search(r'id="review-draft" href="([^"]+)"', progress.text)
    assert review_url is not None
    review = client.get(review_url.group(1))
    assert "1 / 1" in review.text  # one meeting of one scheduled
    assert "Breaks per participant" in review.text
    published = client.post(
        review_url.group(1) + "/publish",
        data={"csrf_token": csrf_of(client, review_url.group(1))},
        follow_redirects=True,
    )
    assert "is published" in published.text
    version = db.session.scalar(select(ScheduleVersion))
    assert version is not None and version.status == "published"
    sign_in(client, ana.token)
    agenda = client.get(f"/events/{event['id']}/me/agenda").text
    assert "Meeting with" in agenda and "Lyon Hydrogen" in agenda


def test_on_the_day_marks_a_meeting_held_and_re_solves(
    client: FlaskClient, organiser: Caller, participant_factory: Any, app: Flask
) -> None:
    from api.models import Event, Meeting
    from tests.api.published_event import published_event

    built = published_event(participants=12, meetings_each=2)
    db.session.rollback()
    sign_in(client, built.organiser_key)
    url = f"/events/{built.event_id}/organise/day"
    page = client.get(url)
    assert page.status_code == 200
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.event_id == built.event_id, Meeting.status == "scheduled")
    )
    assert meeting is not None and f'id="meeting-{meeting.id}"' in page.text
    held = client.post(
        f"{url}/meetings/{meeting.id}/held",
        data={"csrf_token": csrf_of(client, url)},
        follow_redirects=True,
    )
    assert f"Meeting {meeting.id}: held." in held.text
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "held"  # type: ignore[union-attr]
    other = db.session.scalar(
        select(Meeting).where(Meeting.event_id == built.event_id, Meeting.status == "scheduled")
    )
    assert other is not None
    for outcome in ("cancel", "held"):
        answer = client.post(
            f"{url}/meetings/{other.id}/{outcome}",
            data={"csrf_token": csrf_of(client, url)},
            follow_redirects=True,
        )
    assert "Only a scheduled meeting can be marked held" in answer.text  # the operation's words
    started = client.post(f"{url}/re-solve", data={"csrf_token": csrf_of(client, url)})
    assert started.status_code == 302 and "/organise/jobs/" in started.headers["Location"]
    db.session.rollback()
    assert app.extensions["clustermeet_jobs"].join(timeout=120)
    db.session.rollback()
    event = db.session.get(Event, built.event_id)
    assert event is not None
    job = db.session.scalar(select(Job).where(Job.event_id == event.id).order_by(Job.id.desc()))
    assert job is not None and job.status == "succeeded", job.error


def test_printable_pages_open_with_the_browser_session(
    client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    url = f"/events/{event['id']}/stats"
    assert client.get(url).status_code == 401
    sign_in(client, organiser.token)
    page = client.get(url)
    assert page.status_code == 200 and "Statistics" in page.text
