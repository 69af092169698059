"""Two publishes at once leave exactly one published version per kind."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from api.extensions import db
from api.models import Event, ScheduleVersion
from api.schedules.operations import new_version
from tests.api.conftest import Caller
from tests.api.test_request_races import _hammer

ROUNDS = 4
DRAFTS = 4


def _published(event_id: int, kind: str) -> int:
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count())
        .select_from(ScheduleVersion)
        .where(
            ScheduleVersion.event_id == event_id,
            ScheduleVersion.kind == kind,
            ScheduleVersion.status == "published",
        )
    )
    return int(count or 0)


@pytest.mark.postgres
def test_simultaneous_publishes_leave_one_published_version(
    app: Flask, event: dict[str, Any], organiser: Caller
) -> None:
    stored = db.session.get(Event, event["id"])
    assert stored is not None
    base = f"/api/v1/events/{event['id']}/schedules"
    for _ in range(ROUNDS):
        drafts = [new_version(stored, "meetings", None).id for _ in range(DRAFTS)]
        db.session.commit()
        codes = _hammer(app, [(f"{base}/{d}/publish", organiser.headers) for d in drafts])
        assert codes.count(200) >= 1, codes
        assert set(codes) <= {200, 409}, codes
        assert _published(event["id"], "meetings") == 1


@pytest.mark.postgres
def test_the_database_refuses_a_second_published_version_of_a_kind(
    app: Flask, event: dict[str, Any]
) -> None:
    stored = db.session.get(Event, event["id"])
    assert stored is not None
    first, second = new_version(stored, "agenda", None), new_version(stored, "agenda", None)
    first.status = "published"
    db.session.flush()
    second.status = "published"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    other = new_version(stored, "meetings", None)
    other.status = "published"
    db.session.flush()  # one per kind: another kind may be published beside it
    db.session.rollback()
