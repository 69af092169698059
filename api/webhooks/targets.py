"""Where webhooks may be sent: public addresses only, unless the operator allows more.

A webhook URL naming a loopback, private, link-local (cloud metadata), multicast or
otherwise non-global address would let an organiser make the server call its own
network (issue 17.6). The host is resolved and every address it resolves to checked,
at registration and again before each delivery (DNS may change in between).
``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (``CLUSTERMEET_WEBHOOK_ALLOW_PRIVATE=1``) lifts the rule
for installations whose receivers live on a private network.

A delivery connects to the very address that was checked (``pinned_post``): the URL's
host is resolved once, and the connection goes to that address, with the host name in
the ``Host`` header and, for HTTPS, in SNI and certificate verification. A DNS answer
that changes between the check and the connection (DNS rebinding) therefore cannot
send the request elsewhere.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter


def resolve_target(url: str, allow_private: bool) -> tuple[str | None, str | None]:
    """``(problem, address)``: why ``url`` may not receive webhooks (or None), and the one
    checked address to connect to (None when private targets are allowed: then the
    connection resolves the host itself)."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return "The URL has no host.", None
    if allow_private:
        return None, None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError):
        return f"The host {host!r} cannot be resolved.", None
    addresses = [str(info[4][0]).split("%", 1)[0] for info in infos]
    for address in addresses:
        checked = ipaddress.ip_address(address)
        if not checked.is_global or checked.is_multicast:
            return (
                "Webhooks go to public addresses only; this host resolves to a loopback, "
                "private or link-local address."
            ), None
    if not addresses:
        return f"The host {host!r} cannot be resolved.", None
    return None, addresses[0]


def target_problem(url: str, allow_private: bool) -> str | None:
    """Why ``url`` may not receive webhooks, or None."""
    return resolve_target(url, allow_private)[0]


class _PinnedTLS(HTTPAdapter):
    """HTTPS to an address while SNI and certificate checks use the host name."""

    def __init__(self, host: str) -> None:
        self._host = host
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["server_hostname"] = self._host
        kwargs["assert_hostname"] = self._host
        super().init_poolmanager(*args, **kwargs)


def pinned_post(url: str, address: str, **kwargs: Any) -> requests.Response:
    """POST to ``url`` but connect to ``address`` (one that ``resolve_target`` checked)."""
    parts = urlsplit(url)
    host = parts.hostname
    assert host is not None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    at = f"[{address}]" if ":" in address else address
    netloc = f"{userinfo + '@' if userinfo else ''}{at}{f':{parts.port}' if parts.port else ''}"
    headers = {**kwargs.pop("headers", {}), "Host": hostport}
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: it would resolve anew
        if parts.scheme == "https":
            session.mount("https://", _PinnedTLS(host))
        return session.post(parts._replace(netloc=netloc).geturl(), headers=headers, **kwargs)
