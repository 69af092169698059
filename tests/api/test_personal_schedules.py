"""Everyone's agenda at once (a publish mails everyone) is each person's agenda."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from api.extensions import db
from api.models import Event, Participant
from api.schedules import read_models
from api.schedules.read_models import personal_schedule, personal_schedules
from tests.api.published_event import published_event


@pytest.mark.parametrize("batch", [500, 7])
def test_everyones_agenda_at_once_is_each_persons_agenda(
    sqlite_app: Flask, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    built = published_event(participants=30, meetings_each=3)
    event = db.session.get(Event, built.event_id)
    assert event is not None
    people = list(db.session.scalars(select(Participant).where(Participant.event_id == event.id)))
    monkeypatch.setattr(read_models, "_BATCH", batch)  # several batches when 7
    together = personal_schedules(event, people)
    assert set(together) == {p.id for p in people}
    assert sum(len(s["items"]) for s in together.values()) > 0
    for participant in people:
        assert together[participant.id] == personal_schedule(event, participant)
