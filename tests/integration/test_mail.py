"""Mail in the distributed mode: the web process stores it, a Celery worker sends it."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from api.accounts.auth import create_organiser
from api.extensions import db
from api.models import OutgoingMail
from tests.api.conftest import event_payload, participant_payload
from tests.integration.conftest import WorkerPool, wait_for
from tests.mail_server import SmtpServer

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]


def test_a_worker_sends_the_registration_mail_through_smtp(
    api_client: FlaskClient, worker_pool: WorkerPool, smtp: SmtpServer
) -> None:
    worker_pool.ensure(1)
    _, key = create_organiser("Mail organiser")
    db.session.commit()
    event = api_client.post(
        "/api/v1/events", json=event_payload(), headers={"Authorization": f"Bearer {key}"}
    ).json
    payload: dict[str, Any] = participant_payload(email="worker.mail@example.org", language="fr")
    registered = api_client.post(f"/api/v1/events/{event['id']}/participants", json=payload)
    assert registered.status_code == 202, registered.json

    [message] = wait_for(lambda: smtp.to("worker.mail@example.org"), 120, "the mail")
    assert message["Subject"].startswith("Vous êtes inscrit")
    assert "/sign-in/" in str(message.get_body(preferencelist=("plain",)).get_content())

    def sent() -> bool:
        db.session.expire_all()
        mail = db.session.scalars(db.select(OutgoingMail)).one()
        return mail.status == "sent"

    wait_for(sent, 60, "the mail to be marked sent")
