"""Webhook signatures.

Every request carries ``X-Clustermeet-Signature: sha256=<hex>``, the HMAC-SHA256 of the
raw body with the webhook's secret, and ``X-Clustermeet-Timestamp`` (Unix seconds, also
in the body, so a receiver can refuse replays).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Clustermeet-Signature"
TIMESTAMP_HEADER = "X-Clustermeet-Timestamp"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), signature)
