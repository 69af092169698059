"""Sign-in by e-mailed link: signed (itsdangerous), expiring, and good for one use.

The link carries a row id and a random nonce, signed with the app's secret key; the row
keeps only the nonce's hash, the expiry and, once redeemed, ``used_dt``. Redeeming
marks the row with a conditional UPDATE, so of two concurrent clicks one wins.
The same links, for organisers, create their first API key after an invitation.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from api.accounts.tokens import hash_secret
from api.exceptions import ClustermeetError
from api.extensions import db
from api.models import Event, Organiser, Participant, SignInLink
from api.models.types import now_utc
from api.signals import send, sign_in_requested

_SALT = "clustermeet.sign-in"
# More requests than this within the window send nothing (the answer stays the same).
MAX_LINKS_PER_WINDOW = 5
LINK_WINDOW = timedelta(minutes=15)
# An invitation's link, which creates the invited organiser's first API key.
INVITATION_LIFETIME = timedelta(hours=72)


class LinkRefused(ClustermeetError):
    """The link is forged, expired or already used; the message says which."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def link_lifetime() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("SIGN_IN_LINK_MINUTES", 30)))


def may_send_link(
    participant: Participant | None = None, organiser: Organiser | None = None
) -> bool:
    """Whether the person is under the per-window limit of links."""
    query = select(func.count(SignInLink.id)).where(SignInLink.created_dt > now_utc() - LINK_WINDOW)
    if participant is not None:
        query = query.where(SignInLink.participant_id == participant.id)
    if organiser is not None:
        query = query.where(SignInLink.organiser_id == organiser.id)
    return int(db.session.scalar(query) or 0) < MAX_LINKS_PER_WINDOW


def request_sign_in_link(event: Event, email: str) -> None:
    """Mail a sign-in link to the event's participant with this address, if there is one
    and they are under the limit of links; the caller answers the same either way, so
    nobody learns who takes part. The mail is staged in this transaction: commit it."""
    participant = db.session.scalar(
        select(Participant).where(
            Participant.event_id == event.id, Participant.email == email.strip().lower()
        )
    )
    if participant is not None and may_send_link(participant=participant):
        send(sign_in_requested, participant=participant)


def issue_link_token(
    participant: Participant | None = None,
    organiser: Organiser | None = None,
    lifetime: timedelta | None = None,
) -> str:
    """Create a link row and return the signed token that goes into the URL."""
    assert (participant is None) != (organiser is None)
    nonce = secrets.token_urlsafe(24)
    link = SignInLink(
        participant_id=participant.id if participant else None,
        organiser_id=organiser.id if organiser else None,
        nonce_hash=hash_secret(nonce),
        expires_dt=now_utc() + (lifetime or link_lifetime()),
    )
    db.session.add(link)
    db.session.flush()
    return str(_serializer().dumps({"l": link.id, "n": nonce}))


def redeem_link_token(token: str, max_age: timedelta | None = None) -> SignInLink:
    """Spend the link: the row, now marked used. Raises ``LinkRefused`` otherwise."""
    lifetime = max_age or link_lifetime()
    try:
        data = _serializer().loads(token, max_age=int(lifetime.total_seconds()) + 1)
    except SignatureExpired:
        raise LinkRefused("This sign-in link has expired; ask for a new one") from None
    except BadSignature:
        raise LinkRefused("This sign-in link is not valid") from None
    if not isinstance(data, dict) or not isinstance(data.get("l"), int):
        raise LinkRefused("This sign-in link is not valid")
    link = db.session.get(SignInLink, data["l"])
    if link is None or not hmac.compare_digest(link.nonce_hash, hash_secret(str(data.get("n")))):
        raise LinkRefused("This sign-in link is not valid")
    now = now_utc()
    if link.expires_dt <= now:
        raise LinkRefused("This sign-in link has expired; ask for a new one")
    spent = db.session.execute(
        update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_dt.is_(None))
        .values(used_dt=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(spent, "rowcount", 0) != 1:
        raise LinkRefused("This sign-in link was already used; ask for a new one")
    db.session.refresh(link)
    return link
