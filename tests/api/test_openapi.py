"""The OpenAPI document lists the answers each operation can give, and which need no key."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from api.accounts.auth import create_organiser
from api.extensions import db
from tests.api.conftest import event_payload

METHODS = ("get", "put", "post", "patch", "delete")


def _operations(app: Flask) -> list[tuple[str, str, dict[str, Any]]]:
    spec = app.test_client().get("/api/v1/openapi.json").json
    assert spec is not None
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_operation_documents_the_answers_it_can_give(sqlite_app: Flask) -> None:
    spec = sqlite_app.test_client().get("/api/v1/openapi.json").json
    assert spec is not None
    assert spec["security"] == [{"bearer": []}]
    operations = _operations(sqlite_app)
    assert len(operations) >= 90
    problems = []
    for path, method, operation in operations:
        answers = set(operation["responses"])
        where = f"{method.upper()} {path}"
        public = operation.get("security") == []
        if not public and not {"401", "403"} <= answers:
            problems.append(f"{where}: an authenticated operation without 401 and 403")
        if public and "401" not in answers:
            problems.append(f"{where}: a bad token is a 401 even here")
        if "{" in path and "404" not in answers:
            problems.append(f"{where}: an id in the path without 404")
        if "requestBody" in operation and "422" not in answers:
            problems.append(f"{where}: a body without 422")
    assert problems == []


def test_public_operations_are_the_ones_anyone_may_call(sqlite_app: Flask) -> None:
    public = {
        (method, path)
        for path, method, operation in _operations(sqlite_app)
        if operation.get("security") == []
    }
    assert ("post", "/api/v1/events/{event_id}/participants") in public
    assert ("get", "/api/v1/events/{event_id}") in public
    assert ("get", "/api/v1/events/{event_id}/agenda") in public
    assert ("get", "/api/v1/events/{event_id}/agenda.frab.json") in public
    assert ("get", "/api/v1/events/{event_id}/participants") not in public
    assert ("get", "/api/v1/events") in public  # `mine=true` needs a key: 401 documented
    assert ("post", "/api/v1/events") not in public


def test_the_document_tells_the_truth_to_anonymous_callers(sqlite_app: Flask) -> None:
    """Anonymous calls on an existing event: a public GET answers, the others say 401."""
    client = sqlite_app.test_client()
    _organiser, key = create_organiser("Organiser")
    db.session.commit()
    event = client.post(
        "/api/v1/events", json=event_payload(), headers={"Authorization": f"Bearer {key}"}
    ).json
    assert event is not None
    checked = 0
    for path, method, operation in _operations(sqlite_app):
        if re.search(r"\{(?!event_id\})", path):
            continue  # other ids would need their objects; the event's own routes suffice
        url = path.replace("{event_id}", str(event["id"]))
        response = client.open(url, method=method.upper(), json={})
        if operation.get("security") == []:
            assert response.status_code != 401, (method, path)
        else:
            assert response.status_code == 401, (method, path, response.status_code)
        checked += 1
    assert checked >= 30
