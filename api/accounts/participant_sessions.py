"""A participant's signed-in devices: tokens opened, rotated and revoked."""

from __future__ import annotations

from sqlalchemy import select, update

from api.accounts.tokens import PARTICIPANT_TOKEN_PREFIX, hash_secret, new_secret
from api.exceptions import Conflict
from api.extensions import db
from api.models import Participant, ParticipantSession
from api.models.types import now_utc

MAX_ACTIVE_SESSIONS = 20


def open_session(participant: Participant, origin: str) -> tuple[ParticipantSession, str]:
    """A new bearer token for the participant (returned once, stored as a hash).

    A person who keeps signing in without signing out loses their oldest devices
    first, so the table cannot grow without bound.
    """
    token = new_secret(PARTICIPANT_TOKEN_PREFIX)
    session = ParticipantSession(
        participant_id=participant.id, token_hash=hash_secret(token), origin=origin
    )
    db.session.add(session)
    db.session.flush()
    active = list(
        db.session.scalars(
            select(ParticipantSession)
            .where(
                ParticipantSession.participant_id == participant.id,
                ParticipantSession.revoked_dt.is_(None),
            )
            .order_by(ParticipantSession.id.desc())
            .offset(MAX_ACTIVE_SESSIONS)
        )
    )
    for old in active:
        old.revoked_dt = now_utc()
    db.session.flush()
    return session, token


def session_for_token(token: str) -> ParticipantSession | None:
    if not token.startswith(PARTICIPANT_TOKEN_PREFIX):
        return None
    session: ParticipantSession | None = db.session.scalar(
        select(ParticipantSession).where(ParticipantSession.token_hash == hash_secret(token))
    )
    if session is None or not session.is_active:
        return None
    return session


def rotate_session(session: ParticipantSession) -> tuple[ParticipantSession, str]:
    """A fresh token for the same device; the old one stops working now."""
    if not session.is_active:
        raise Conflict("This session is signed out")
    participant = db.session.get(Participant, session.participant_id)
    assert participant is not None
    session.revoked_dt = now_utc()
    return open_session(participant, "rotation")


def revoke_session(session: ParticipantSession) -> None:
    if session.revoked_dt is None:
        session.revoked_dt = now_utc()
        db.session.flush()


def revoke_all_sessions(participant: Participant) -> int:
    """Sign out everywhere; returns how many sessions were open."""
    result = db.session.execute(
        update(ParticipantSession)
        .where(
            ParticipantSession.participant_id == participant.id,
            ParticipantSession.revoked_dt.is_(None),
        )
        .values(revoked_dt=now_utc())
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
