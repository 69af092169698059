"""Schemathesis against the app on SQLite in-process: no 500s, answers match their schemas.

Bounded: a few examples per operation and role (``make test`` runs it every time); the
issue's attack ran 31,000 requests. Raise ``CLUSTERMEET_FUZZ_EXAMPLES`` for a deeper run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.accounts.auth import create_organiser
from api.extensions import db
from tests.api.conftest import ANONYMOUS_HEADERS, event_payload, participant_payload
from tests.conftest import make_app

EXAMPLES = int(os.environ.get("CLUSTERMEET_FUZZ_EXAMPLES", "6"))
ROLES = ("organiser", "participant", "anonymous")


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    # Jobs posted by the fuzzer must not solve for long: a one-second solver limit.
    yield from make_app(request, "sqlite", tmp_path, SOLVER_TIME_LIMIT=1.0)


HEADERS: dict[str, dict[str, str]] = {}


@pytest.fixture
def api_schema(app: Flask) -> Any:
    """The schema of an app with an event, its organiser and two participants."""
    _organiser, key = create_organiser("Fuzz organiser")
    db.session.commit()
    client = app.test_client()
    HEADERS["organiser"] = {"Authorization": f"Bearer {key}"}
    event = client.post("/api/v1/events", json=event_payload(), headers=HEADERS["organiser"])
    assert event.status_code == 201, event.json
    tokens, participant_ids = [], []
    for _ in range(2):
        registered = client.post(
            f"/api/v1/events/{event.json['id']}/participants",
            json=participant_payload(),
            headers=HEADERS["organiser"],
        )
        assert registered.status_code == 201, registered.json
        tokens.append(registered.json["access_token"])
        participant_ids.append(registered.json["id"])
    HEADERS["participant"] = {"Authorization": f"Bearer {tokens[0]}"}
    base = f"/api/v1/events/{event.json['id']}"
    for path, body in (
        ("/rooms", {"name": "Room 1", "capacity": 40}),
        ("/sessions", {"title": "Opening", "kind": "plenary", "length_min": 30}),
        ("/tables", {"name": "T1"}),
        ("/tags", {"slug": "energy", "label": "Energy", "kind": "sector"}),
    ):
        seeded = client.post(base + path, json=body, headers=HEADERS["organiser"])
        assert seeded.status_code == 201, (path, seeded.json)
    asked = client.post(
        base + "/meeting-requests",
        json={"invitee_id": participant_ids[1]},
        headers=HEADERS["participant"],
    )
    assert asked.status_code == 201, asked.json
    HEADERS["anonymous"] = ANONYMOUS_HEADERS
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _fuzz(operation: Any, failures: list[str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        # Each generated request is sent as each role: one input, three permission paths.
        for role in ROLES:
            case.call_and_validate(
                headers=HEADERS[role], checks=[not_a_server_error, response_schema_conformance]
            )

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # the first failure found, shrunk
        failures.append(f"{operation.label}: {exc}")


def test_no_server_errors_and_answers_match_their_schema(api_schema: Any) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50
    # Registering a webhook resolves its host name: random names would go to DNS, and
    # no test may use the network (tests/api/test_webhook_targets.py covers the route).
    operations = [op for op in operations if op.label != "POST /api/v1/events/{event_id}/webhooks"]
    for operation in operations:
        _fuzz(operation, failures)
    assert not failures, "\n\n".join(failures)
