"""Random secrets for credentials: a prefix that says what they open, 256 random bits,
and a SHA-256 hash, the only form in which the database keeps them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app

API_KEY_PREFIX = "cmo_"
PARTICIPANT_TOKEN_PREFIX = "cmp_"
FEED_SECRET_PREFIX = "cmf_"


def hash_secret(secret: str) -> str:
    # 256 random bits leave nothing to brute-force, so a fast hash is enough.
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def derived_secret(prefix: str, purpose: str, salt: str) -> str:
    """A secret the server can compute again from its secret key and a stored salt."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"{purpose}:{salt}".encode(), hashlib.sha256).digest()
    return prefix + base64.urlsafe_b64encode(digest).decode().rstrip("=")
