"""Where webhooks may be sent: public addresses only, unless the operator allows more.

A webhook URL naming a loopback, private, link-local (cloud metadata), multicast or
otherwise non-global address would let an organiser make the server call its own
network (issue 17.6). The host is resolved and every address it resolves to checked,
at registration and again before each delivery (DNS may change in between).
``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (``CLUSTERMEET_WEBHOOK_ALLOW_PRIVATE=1``) lifts the rule
for installations whose receivers live on a private network.

Not covered: a DNS answer that changes between this check and the connection itself.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


def target_problem(url: str, allow_private: bool) -> str | None:
    """Why ``url`` may not receive webhooks, or None."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return "The URL has no host."
    if allow_private:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError):
        return f"The host {host!r} cannot be resolved."
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return (
                "Webhooks go to public addresses only; this host resolves to a loopback, "
                "private or link-local address."
            )
    return None
