"""Printable pages in a real headless Chromium: no console errors, screenshots kept."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import select

from api.accounts.feeds import event_feed, reveal
from api.extensions import db
from api.models import Event, Meeting, MeetingPlacement, MeetingTable, Organiser, Participant
from tests.api.published_event import PublishedEvent, published_event
from tests.api.web.browser import chromium
from tests.pages.browser import CHROMIUM, live_server, render

pytestmark = [
    pytest.mark.browser,
    # One worker runs them all, so Chromium starts once.
    pytest.mark.xdist_group("pages-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
]


@pytest.fixture
def demo(sqlite_app: Flask) -> PublishedEvent:
    built = published_event(participants=40, meetings_each=4)
    meetings = list(db.session.scalars(select(Meeting).order_by(Meeting.id)))
    meetings[0].status = "held"
    meetings[1].status = "no_show"
    db.session.commit()
    return built


@pytest.fixture
def pages(demo: PublishedEvent) -> str:
    """The path of a page link (printer's secret) for the demo event."""
    event = db.session.get(Event, demo.event_id)
    organiser = db.session.get(Organiser, event.organiser_id) if event else None
    assert event is not None and organiser is not None
    secret = reveal(event_feed(event, organiser))
    db.session.commit()
    return f"/feeds/{secret}"


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """One Chromium for the module (started once, about a second and a half)."""
    with chromium() as driver:
        yield driver


@pytest.fixture
def server(sqlite_app: Flask) -> Iterator[str]:
    with live_server(sqlite_app) as url:
        yield url


def _busiest_participant(event_id: int) -> Participant:
    counts: dict[int, int] = {}
    for meeting in db.session.scalars(select(Meeting).where(Meeting.event_id == event_id)):
        for pid in (meeting.participant_a_id, meeting.participant_b_id):
            counts[pid] = counts.get(pid, 0) + 1
    best = max(counts, key=lambda pid: counts[pid])
    participant = db.session.get(Participant, best)
    assert participant is not None
    return participant


def _busiest_table(event_id: int) -> MeetingTable:
    table_id = db.session.scalar(
        select(MeetingPlacement.table_id)
        .where(MeetingPlacement.table_id.is_not(None))
        .group_by(MeetingPlacement.table_id)
        .order_by(db.func.count().desc())
        .limit(1)
    )
    table = db.session.get(MeetingTable, table_id)
    assert table is not None and table.event_id == event_id
    return table


def _check(browser: WebDriver, url: str, name: str, **size: Any) -> None:
    answer = requests.get(url, timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["Content-Type"].startswith("text/html")
    # Everything is inline: no script, no stylesheet or image from elsewhere.
    assert "<script" not in answer.text
    assert 'src="http' not in answer.text and "<link" not in answer.text
    rendered = render(browser, url, name, **size)
    assert rendered.console_problems == []
    assert rendered.screenshot.stat().st_size > 5000


def test_participant_schedule_renders(
    browser: WebDriver, demo: PublishedEvent, server: str, pages: str
) -> None:
    participant = _busiest_participant(demo.event_id)
    url = f"{server}{pages}/participants/{participant.id}/schedule"
    _check(browser, url, "participant-schedule", width=1000, height=1400)
    _check(browser, url, "participant-schedule-phone", width=390, height=1600)


def test_table_plan_renders(
    browser: WebDriver, demo: PublishedEvent, server: str, pages: str
) -> None:
    table = _busiest_table(demo.event_id)
    url = f"{server}{pages}/tables/{table.id}/plan"
    _check(browser, url, "table-plan", width=900, height=1300)


def test_event_grid_renders(browser: WebDriver, server: str, pages: str) -> None:
    url = f"{server}{pages}/grid"
    _check(browser, url, "event-grid", width=1600, height=1000)


def test_statistics_page_renders(browser: WebDriver, server: str, pages: str) -> None:
    url = f"{server}{pages}/stats"
    _check(browser, url, "statistics", width=1200, height=2200)
    _check(browser, url, "statistics-phone", width=390, height=2600)
