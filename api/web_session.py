"""Who is signed in to the web pages.

A browser session (Flask's signed cookie, HttpOnly, SameSite=Lax; the storage is
``api.accounts.browser_sessions``) remembers a participant after they confirmed an
emailed sign-in link, or pasted their token, and an organiser after they
pasted their API key. The cookie holds the id and the stored hash of the credential,
never the credential itself, so rotating a token or key signs every browser out. Web views call
``load_session_principal`` first; it fills ``g.participant``/``g.organiser`` exactly as a
Bearer token does for the API, so the same operations and guards apply. Forms carry a
CSRF token (Flask-WTF), checked on every POST of a web blueprint.
"""

from __future__ import annotations

from flask import Flask, Response, g, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect

from api.accounts.browser_sessions import (
    is_owned,
    is_remembered,
    remember_organiser,
    remember_participant,
    remembered,
)
from api.accounts.keys import key_for_secret
from api.accounts.participant_sessions import revoke_session, session_for_token
from api.exceptions import Forbidden, NotFound, Unauthorized
from api.extensions import db
from api.models import ApiKey, Event, Organiser, Participant, ParticipantSession
from api.models.event_members import Permission

csrf = CSRFProtect()
SAFE = ("GET", "HEAD", "OPTIONS")


def init_web_session(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    # Forms are checked by the web blueprints only; the API uses Bearer tokens, not cookies.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)


def _fresh_session() -> None:
    """A new session at each sign-in and sign-out: a new CSRF token too."""
    session.clear()
    g.pop("csrf_token", None)


def sign_in_participant(participant_session: ParticipantSession, *, owned: bool = False) -> None:
    """``owned``: the browser is the token's only holder (an emailed link's token, never
    shown), so signing out revokes it; a pasted or registration token lives on."""
    _fresh_session()
    remember_participant(participant_session, owned=owned)


def sign_in_organiser(key: ApiKey) -> None:
    _fresh_session()
    remember_organiser(key)


def sign_in_with_secret(secret: str) -> Organiser | Participant | None:
    """Sign in with a participant token or an organiser API key; None if it is nobody's."""
    secret = secret.strip()
    participant_session = session_for_token(secret)
    if participant_session is not None:
        sign_in_participant(participant_session)
        return participant_session.participant
    key = key_for_secret(secret)
    if key is not None:
        sign_in_organiser(key)
        return key.organiser
    return None


def sign_out() -> None:
    """End the browser session, and the token behind it if nobody else holds it."""
    if is_owned():
        _, participant_session = remembered()
        if participant_session is not None:
            revoke_session(participant_session)  # flushed; the view commits
    _fresh_session()
    g.participant = None
    g.organiser = None


def load_session_principal() -> None:
    """Before each web view: check the form's CSRF token, then read the session."""
    if request.method == "POST":
        csrf.protect()
    if g.get("organiser") is not None or g.get("participant") is not None:
        return
    if not is_remembered():
        return
    key, participant_session = remembered()
    g.web_api_key = key
    g.organiser = key.organiser if key is not None else None
    g.participant = participant_session.participant if participant_session is not None else None
    if g.organiser is None and g.participant is None:
        session.clear()


def protect_response(response: Response) -> Response:
    """Web pages: never cached when someone is signed in, never framed, no referrer."""
    if g.get("participant") is not None or g.get("organiser") is not None:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def signed_in_participant() -> Participant | None:
    participant: Participant | None = g.get("participant")
    return participant


def signed_in_organiser() -> Organiser | None:
    organiser: Organiser | None = g.get("organiser")
    return organiser


def participant_of(event_id: int) -> tuple[Event, Participant]:
    """The event and the signed-in participant of it (401 if nobody, 403 if another event)."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    me = signed_in_participant()
    if me is None:
        raise Unauthorized(_("Sign in as a participant of this event."))
    if me.event_id != event.id:
        raise Forbidden(_("You are registered for another event."))
    return event, me


def organised_event(event_id: int, permission: Permission | None = None) -> Event:
    """The event, if the signed-in organiser's role allows ``permission`` (by default,
    as in the API: reading for GET, managing for a form's POST); 401 if nobody is signed
    in, 403 otherwise. A read-only API key signs in a browser that only reads."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    organiser = signed_in_organiser()
    if organiser is None and signed_in_participant() is None:
        raise Unauthorized(_("Sign in with your organiser API key."))
    if not event.can_manage(organiser):
        raise Forbidden(_("Only the event's organisers may open this page."))
    needed = permission or (Permission.READ if request.method in SAFE else Permission.MANAGE)
    key: ApiKey | None = g.get("web_api_key") or g.get("api_key")
    read_only = key is not None and key.is_read_only and needed != Permission.READ
    if read_only or not event.permits(organiser, needed):
        raise Forbidden(_("Your role on this event does not allow this."))
    return event
