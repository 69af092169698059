"""Who is calling: an organiser's API key or a participant's token (bearer), or the
signed-in browser session; ``load_principal`` puts the answer on ``flask.g`` once per
request and ``api.http.principal`` reads it from there."""

from __future__ import annotations

from flask import g, request, session

from api.accounts.browser_sessions import SESSION_KEY, remembered
from api.accounts.keys import create_api_key, create_person, key_for_secret
from api.accounts.participant_sessions import session_for_token
from api.exceptions import Forbidden, Unauthorized
from api.http.principal import SAFE_METHODS
from api.models import Organiser


def create_organiser(name: str, email: str | None = None) -> tuple[Organiser, str]:
    """A person with a first full-scope key (the command line's first owner, tests, demo)."""
    organiser = create_person(name, email=email)
    _, secret = create_api_key(organiser, "initial")
    return organiser, secret


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def resolve_token(token: str) -> bool:
    """Put the key's or token's owner on ``g``; False if it opens nothing.

    Feed secrets (``cmf_``) open feeds and printable pages only, so they never resolve here.
    """
    key = key_for_secret(token, record_use=request.method not in SAFE_METHODS)
    if key is not None:
        g.api_key = key
        g.organiser = key.organiser
        return True
    participant_session = session_for_token(token)
    if participant_session is not None:
        g.participant_session = participant_session
        g.participant = participant_session.participant
        return True
    return False


def load_principal() -> None:
    """Resolve the request's credentials once; a bad token is a 401, not anonymous."""
    g.organiser = None
    g.participant = None
    g.api_key = None
    g.participant_session = None
    token = _bearer()
    if token is None:
        _load_browser_session()
        return
    if not resolve_token(token):
        raise Unauthorized("Invalid credentials")
    if g.api_key is not None and g.api_key.is_read_only and request.method not in SAFE_METHODS:
        raise Forbidden("This API key is read-only")


def _load_browser_session() -> None:
    # The API reads a signed-in participant's cookie, and only to read: without CSRF
    # protection, a write needs the bearer token (web forms check their CSRF token).
    if request.method not in SAFE_METHODS or SESSION_KEY not in session:
        return
    _, participant_session = remembered()
    if participant_session is None:
        return
    g.participant_session = participant_session
    g.participant = participant_session.participant


def is_organiser_request() -> bool:
    """Whether the request carries a valid organiser key (usable before load_principal)."""
    token = _bearer()
    return token is not None and key_for_secret(token, record_use=False) is not None
