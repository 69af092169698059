"""A tiny HTTP server on 127.0.0.1 that receives webhooks and checks their signature."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from api.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


@dataclass
class Receiver:
    url: str
    secret: str = ""
    fail_first: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)

    def answer(self, body: bytes, headers: Any) -> int:
        signature = headers.get(SIGNATURE_HEADER, "")
        valid = bool(self.secret) and verify(self.secret, body, signature)
        self.received.append(
            {
                "body": body,
                "signature": signature,
                "timestamp": headers.get(TIMESTAMP_HEADER),
                "valid": valid,
            }
        )
        if not valid:
            code = 401
        elif self.fail_first > 0:
            self.fail_first -= 1
            code = 500
        else:
            code = 204
        self.answered.append(code)
        return code


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(receiver.answer(body, self.headers))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(
        # shutdown() waits for the loop to look again: every 0.5 s by default.
        target=server.serve_forever,
        kwargs={"poll_interval": 0.02},
        daemon=True,
    )
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
