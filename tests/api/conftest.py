"""Factories for API tests: each returns a callable that creates things through the API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from api.accounts.auth import create_organiser
from api.accounts.participant_sessions import open_session
from api.extensions import db
from api.models import Participant

_counter = itertools.count(1)


@dataclass(frozen=True)
class Caller:
    """Who sends a request: its id and the Authorization header to send."""

    id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


ANONYMOUS_HEADERS: dict[str, str] = {}


def event_payload(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    payload: dict[str, Any] = {
        "slug": f"cluster-event-{n}",
        "name": f"Clusters meet Regions {n}",
        "kind": "matchmaking",
        "venue": "Square, Brussels",
        "timezone": "Europe/Brussels",
        "start_date": "2027-03-10",
        "end_date": "2027-03-11",
        "meeting_settings": {
            "meeting_length_min": 30,
            "blocks": [
                {"day": "2027-03-10", "start": "09:30", "end": "12:30"},
                {"day": "2027-03-10", "start": "14:00", "end": "17:30"},
            ],
        },
    }
    payload.update(overrides)
    return payload


def participant_payload(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    payload: dict[str, Any] = {
        "first_name": "Ana",
        "last_name": f"Ruiz {n}",
        "email": f"ana.ruiz{n}@example.org",
        "role": "Innovation manager",
        "consent": True,
        "organisation": {
            "name": f"Basque Energy Cluster {n}",
            "type": "cluster_organisation",
            "country": "ES",
            "region": "País Vasco",
        },
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def organiser_factory(app: Any) -> Any:
    def make(name: str = "Organiser") -> Caller:
        organiser, key = create_organiser(name)
        db.session.commit()
        return Caller(organiser.id, key)

    return make


@pytest.fixture
def organiser(organiser_factory: Any) -> Caller:
    return organiser_factory("Organiser A")  # type: ignore[no-any-return]


@pytest.fixture
def event_factory(client: FlaskClient, organiser: Caller) -> Any:
    def make(owner: Caller | None = None, **overrides: Any) -> dict[str, Any]:
        response = client.post(
            "/api/v1/events", json=event_payload(**overrides), headers=(owner or organiser).headers
        )
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]

    return make


@pytest.fixture
def event(event_factory: Any) -> dict[str, Any]:
    return event_factory()  # type: ignore[no-any-return]


def signed_in(event_id: int, email: str) -> Caller:
    """The registered participant with a fresh token: what redeeming the mailed sign-in
    link does (tests/api/accounts/test_sign_in_api.py follows the real mail)."""
    participant = db.session.scalar(
        select(Participant).where(
            Participant.event_id == event_id, Participant.email == email.lower()
        )
    )
    assert participant is not None, email
    _, token = open_session(participant, "sign-in link")
    db.session.commit()
    return Caller(participant.id, token)


@pytest.fixture
def participant_factory(client: FlaskClient, event: dict[str, Any], organiser: Caller) -> Any:
    def make(event_id: int | None = None, **overrides: Any) -> Caller:
        eid = event_id or event["id"]
        # Only the organiser assigns groups: register, then the organiser sets it.
        group = overrides.pop("group", "")
        payload = participant_payload(**overrides)
        response = client.post(f"/api/v1/events/{eid}/participants", json=payload)
        assert response.status_code == 202, response.json
        caller = signed_in(eid, payload["email"])
        if group:
            patched = client.patch(
                f"/api/v1/events/{eid}/participants/{caller.id}",
                json={"group": group},
                headers=organiser.headers,
            )
            assert patched.status_code == 200, patched.json
        return caller

    return make
