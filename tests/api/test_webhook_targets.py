"""Webhook targets (issue 17.6): no loopback, private or link-local addresses by default."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import trustme
from flask import Flask
from flask.testing import FlaskClient

from api.extensions import db
from api.models import Webhook, WebhookDelivery
from api.webhooks.delivery import deliver
from api.webhooks.targets import pinned_post
from tests.api.conftest import Caller
from tests.api.webhook_receiver import webhook_receiver
from tests.conftest import make_app


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The default configuration: private targets refused."""
    yield from make_app(request, "sqlite", tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_targets_are_refused(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, url: str
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/webhooks", json={"url": url}, headers=organiser.headers
    )
    assert response.status_code == 422, response.json
    assert "url" in response.json["errors"]["json"]
    assert db.session.query(Webhook).count() == 0


def test_a_target_that_became_private_is_not_contacted_and_the_log_says_little(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    # As if DNS changed after registration: the address is checked again at each send.
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1  # one try, no retry scheduled
    webhook = Webhook(event_id=event["id"], url="http://127.0.0.1:9/hook", secret="s", kinds=[])
    db.session.add(webhook)
    db.session.flush()
    delivery = WebhookDelivery(webhook_id=webhook.id, kind="schedule.published", payload={})
    db.session.add(delivery)
    db.session.commit()
    deliver(delivery.id)
    db.session.refresh(delivery)
    assert delivery.last_error == "target refused"
    assert delivery.last_status_code is None


def test_connection_errors_are_not_shown(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = True
    webhook = Webhook(event_id=event["id"], url="http://127.0.0.1:9/hook", secret="s", kinds=[])
    db.session.add(webhook)
    db.session.flush()
    delivery = WebhookDelivery(webhook_id=webhook.id, kind="schedule.published", payload={})
    db.session.add(delivery)
    db.session.commit()
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    deliver(delivery.id)
    response = client.get(
        f"/api/v1/events/{event['id']}/webhooks/{webhook.id}/deliveries",
        headers=organiser.headers,
    )
    assert response.status_code == 200
    (shown,) = response.json
    assert shown["last_error"] == "connection failed"
    assert "127.0.0.1" not in str(shown) and "Errno" not in str(shown)


def test_a_webhook_cannot_be_moved_to_a_private_target(
    app: Flask, client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    webhook = Webhook(event_id=event["id"], url="https://203.0.113.7/hook", secret="s", kinds=[])
    db.session.add(webhook)
    db.session.commit()
    response = client.patch(
        f"/api/v1/events/{event['id']}/webhooks/{webhook.id}",
        json={"url": "http://169.254.169.254/"},
        headers=organiser.headers,
    )
    assert response.status_code == 422
    assert "url" in response.json["errors"]["json"]


def test_a_dns_answer_that_changes_after_the_check_cannot_redirect_the_delivery(
    app: Flask, event: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name first resolves to a public address (the check passes),
    then to loopback, where something listens. The delivery must go to the checked
    address, never to the listener."""
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    app.config["WEBHOOK_TIMEOUT_S"] = 1.0
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["1.1.1.1"])

    def rebinding_dns(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    with webhook_receiver() as receiver:
        port = urlsplit(receiver.url).port
        webhook = Webhook(
            event_id=event["id"], url=f"http://rebind.example:{port}/hooks", secret="s", kinds=[]
        )
        db.session.add(webhook)
        db.session.flush()
        delivery = WebhookDelivery(webhook_id=webhook.id, kind="schedule.published", payload={})
        db.session.add(delivery)
        db.session.commit()
        monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
        deliver(delivery.id)
        monkeypatch.undo()
    db.session.refresh(delivery)
    assert receiver.received == []
    assert delivery.status == "failed"
    assert delivery.last_error in ("connection failed", "timed out")


def test_a_pinned_delivery_keeps_the_host_name_in_the_host_header(
    app: Flask, event: dict[str, Any]
) -> None:
    with webhook_receiver() as receiver:
        hosts: list[str] = []
        answer = receiver.answer

        def record(body: bytes, headers: Any) -> int:
            hosts.append(headers.get("Host"))
            return answer(body, headers)

        receiver.answer = record  # type: ignore[method-assign]
        port = urlsplit(receiver.url).port
        response = pinned_post(
            f"http://hooks.example.org:{port}/hooks", "127.0.0.1", data=b"{}", timeout=5
        )
    assert response.status_code == 401  # unsigned, but it arrived
    assert hosts == [f"hooks.example.org:{port}"]


@contextmanager
def _https_receiver(name: str) -> Iterator[tuple[int, str, list[str]]]:
    """An HTTPS server on 127.0.0.1 with a certificate for ``name`` from a test CA;
    yields its port, the CA file and the Host headers it saw."""
    ca = trustme.CA()
    hosts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hosts.append(self.headers.get("Host", ""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(
        # shutdown() waits for the loop to look again: every 0.5 s by default.
        target=server.serve_forever,
        kwargs={"poll_interval": 0.02},
        daemon=True,
    )
    thread.start()
    with ca.cert_pem.tempfile() as ca_file:
        try:
            yield server.server_address[1], ca_file, hosts
        finally:
            server.shutdown()
            server.server_close()


def test_a_pinned_https_delivery_checks_the_certificate_against_the_host_name() -> None:
    with _https_receiver("hooks.example.org") as (port, ca_file, hosts):
        response = pinned_post(
            f"https://hooks.example.org:{port}/hooks",
            "127.0.0.1",
            data=b"{}",
            timeout=5,
            verify=ca_file,
        )
        assert response.status_code == 204
        assert hosts == [f"hooks.example.org:{port}"]
        with pytest.raises(requests.exceptions.SSLError):
            pinned_post(
                f"https://elsewhere.example.org:{port}/hooks",
                "127.0.0.1",
                data=b"{}",
                timeout=5,
                verify=ca_file,
            )
