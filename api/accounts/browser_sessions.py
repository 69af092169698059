"""The browser's signed-in person, as the session cookie remembers them.

One session for the whole app: the web pages (``api.web_session``), the page behind an
emailed sign-in link and the API's cookie reads all use this key. The signed cookie holds
the credential's id and its stored hash, never the credential, so rotating or revoking a
token or key signs every browser that used it out.
"""

from __future__ import annotations

from typing import Any

from flask import session

from api.extensions import db
from api.models import ApiKey, ParticipantSession

SESSION_KEY = "signed_in"


def remember_participant(participant_session: ParticipantSession, *, owned: bool = False) -> None:
    """``owned``: the token was never shown to anyone (an emailed link's), so this browser
    session is its only holder and signing out ends it."""
    session[SESSION_KEY] = {
        "kind": "participant",
        "id": participant_session.id,
        "check": participant_session.token_hash,
        "owned": owned,
    }
    session.permanent = True


def is_owned() -> bool:
    data: Any = session.get(SESSION_KEY)
    return isinstance(data, dict) and data.get("owned") is True


def remember_organiser(key: ApiKey) -> None:
    session[SESSION_KEY] = {"kind": "organiser", "id": key.id, "check": key.key_hash}
    session.permanent = True


def remembered() -> tuple[ApiKey | None, ParticipantSession | None]:
    """The key or participant session behind the cookie, while it is still active."""
    data: Any = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None, None
    if data.get("kind") == "participant":
        found = db.session.get(ParticipantSession, data.get("id"))
        if found is not None and found.is_active and found.token_hash == data.get("check"):
            return None, found
    elif data.get("kind") == "organiser":
        key = db.session.get(ApiKey, data.get("id"))
        if key is not None and key.is_active and key.key_hash == data.get("check"):
            return key, None
    return None, None


def is_remembered() -> bool:
    return isinstance(session.get(SESSION_KEY), dict)
