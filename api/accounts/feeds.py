"""Secrets for links that travel: calendar feeds and printable pages.

They read and nothing else (the API refuses them as credentials), are revocable, and
are derived from the app's secret key plus a stored salt, so their owner can see the
link again while the database holds only a hash.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from api.accounts.tokens import FEED_SECRET_PREFIX, derived_secret, hash_secret
from api.extensions import db
from api.models import Event, FeedSecret, Organiser, Participant
from api.models.feed_secrets import FeedScope
from api.models.types import now_utc

_PURPOSE = "feed"


def reveal(feed: FeedSecret) -> str:
    return derived_secret(FEED_SECRET_PREFIX, _PURPOSE, feed.salt)


def _create(
    event_id: int,
    scope: FeedScope,
    participant: Participant | None = None,
    created_by: Organiser | None = None,
) -> FeedSecret:
    salt = secrets.token_urlsafe(32)
    feed = FeedSecret(
        event_id=event_id,
        scope=scope.value,
        participant_id=participant.id if participant else None,
        created_by_id=created_by.id if created_by else None,
        salt=salt,
        secret_hash=hash_secret(derived_secret(FEED_SECRET_PREFIX, _PURPOSE, salt)),
    )
    db.session.add(feed)
    db.session.flush()
    return feed


def participant_feed(participant: Participant) -> FeedSecret:
    """The participant's active feed secret, created on first use."""
    feed = db.session.scalar(
        select(FeedSecret).where(
            FeedSecret.participant_id == participant.id,
            FeedSecret.scope == FeedScope.PARTICIPANT.value,
            FeedSecret.revoked_dt.is_(None),
        )
    )
    return feed or _create(participant.event_id, FeedScope.PARTICIPANT, participant=participant)


def event_feed(event: Event, organiser: Organiser) -> FeedSecret:
    """A secret for the organisers' printable pages of one event (a new one each call,
    so each printer or screen can be revoked on its own)."""
    return _create(event.id, FeedScope.EVENT, created_by=organiser)


def list_event_feeds(event: Event) -> list[FeedSecret]:
    return list(
        db.session.scalars(
            select(FeedSecret)
            .where(
                FeedSecret.event_id == event.id,
                FeedSecret.scope == FeedScope.EVENT.value,
                FeedSecret.revoked_dt.is_(None),
            )
            .order_by(FeedSecret.id)
        )
    )


def rotate_participant_feed(participant: Participant) -> FeedSecret:
    """Revoke the participant's feed link and make a new one (a calendar shared by mistake)."""
    revoke(participant_feed(participant))
    return _create(participant.event_id, FeedScope.PARTICIPANT, participant=participant)


def revoke(feed: FeedSecret) -> None:
    if feed.revoked_dt is None:
        feed.revoked_dt = now_utc()
        db.session.flush()


def feed_for_secret(secret: str) -> FeedSecret | None:
    if not secret.startswith(FEED_SECRET_PREFIX):
        return None
    feed: FeedSecret | None = db.session.scalar(
        select(FeedSecret).where(FeedSecret.secret_hash == hash_secret(secret))
    )
    if feed is None or not feed.is_active:
        return None
    return feed
