"""The organisers' webhooks page: the API's schema and operation, the secret shown once."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.extensions import db
from api.models import Webhook
from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def test_an_organiser_adds_a_webhook_and_sees_its_secret_once(
    app: Flask, client: FlaskClient, organiser: Caller, event: dict[str, Any]
) -> None:
    # The test's receiver would be on loopback, which production refuses (harden's rule).
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = True
    sign_in(client, organiser.token)
    url = f"/events/{event['id']}/organise/webhooks"
    refused = client.post(url, data={"csrf_token": csrf_of(client, url), "url": "not a url"})
    assert refused.status_code == 422 and 'id="webhook-url-error"' in refused.text
    added = client.post(
        url,
        data={
            "csrf_token": csrf_of(client, url),
            "url": "http://127.0.0.1:9/hooks/clustermeet",
            "kinds": ["schedule.published"],
        },
    )
    assert added.status_code == 201
    db.session.rollback()
    hook = db.session.scalar(select(Webhook))
    assert hook is not None and hook.kinds == ["schedule.published"]
    assert hook.secret in added.text
    assert hook.secret not in client.get(url).text
