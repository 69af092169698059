"""Organiser persons and their API keys: named, scoped, listed, rotated, revoked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select, update

from api.accounts.tokens import API_KEY_PREFIX, hash_secret, new_secret
from api.exceptions import Conflict, InvalidInput, NotFound
from api.extensions import db
from api.models import ApiKey, Organiser, OrganiserTeam
from api.models.api_keys import KeyScope
from api.models.types import now_utc

# How stale ``last_used_dt`` may get: it is written at most this often per key.
LAST_USED_RESOLUTION = timedelta(minutes=10)
MAX_ACTIVE_KEYS = 50


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_person(
    name: str, email: str | None = None, team: OrganiserTeam | None = None
) -> Organiser:
    email = normalise_email(email) if email else None
    if email and db.session.scalar(select(Organiser.id).where(Organiser.email == email)):
        raise Conflict("An organiser with this e-mail already exists")
    organiser = Organiser(name=name, email=email, team_id=team.id if team else None)
    db.session.add(organiser)
    db.session.flush()
    return organiser


def create_api_key(
    organiser: Organiser, name: str, scope: KeyScope | str = KeyScope.FULL
) -> tuple[ApiKey, str]:
    """A new key; the secret is returned this once and only its hash is stored."""
    try:
        scope = KeyScope(scope)
    except ValueError:
        raise InvalidInput({"scope": ["Must be one of: read, full."]}) from None
    name = name.strip()
    if not name:
        raise InvalidInput({"name": ["A key needs a name."]})
    active = db.session.scalar(
        select(db.func.count(ApiKey.id)).where(
            ApiKey.organiser_id == organiser.id, ApiKey.revoked_dt.is_(None)
        )
    )
    if (active or 0) >= MAX_ACTIVE_KEYS:
        raise Conflict(f"At most {MAX_ACTIVE_KEYS} active keys per person; revoke one first")
    secret = new_secret(API_KEY_PREFIX)
    key = ApiKey(
        organiser_id=organiser.id,
        name=name[:100],
        scope=scope.value,
        key_hash=hash_secret(secret),
        key_prefix=secret[:10],
    )
    db.session.add(key)
    db.session.flush()
    return key, secret


def list_api_keys(organiser: Organiser, *, include_revoked: bool = False) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.organiser_id == organiser.id)
    if not include_revoked:
        query = query.where(ApiKey.revoked_dt.is_(None))
    return list(db.session.scalars(query.order_by(ApiKey.id)))


def get_own_key(organiser: Organiser, key_id: int) -> ApiKey:
    """One of the person's keys; someone else's is as unknown as a missing one."""
    key = db.session.get(ApiKey, key_id)
    if key is None or key.organiser_id != organiser.id:
        raise NotFound("API key not found")
    return key


def rotate_api_key(key: ApiKey) -> tuple[ApiKey, str]:
    """Replace a key by a new one with the same name and scope; the old one stops now."""
    if not key.is_active:
        raise Conflict("This key is revoked; create a new one instead")
    organiser = db.session.get(Organiser, key.organiser_id)
    assert organiser is not None
    successor, secret = create_api_key(organiser, key.name, key.scope)
    key.revoked_dt = now_utc()
    key.replaced_by_id = successor.id
    db.session.flush()
    return successor, secret


def revoke_api_key(key: ApiKey) -> None:
    if key.revoked_dt is None:
        key.revoked_dt = now_utc()
        db.session.flush()


def key_for_secret(secret: str, *, record_use: bool = False) -> ApiKey | None:
    """The active key with this secret, or None; ``record_use`` notes the time of use
    (callers pass it for changes only, so that reading never writes)."""
    if not secret.startswith(API_KEY_PREFIX):
        return None
    key: ApiKey | None = db.session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hash_secret(secret))
    )
    if key is None or not key.is_active:
        return None
    if record_use:
        _touch(key)
    return key


def _touch(key: ApiKey) -> None:
    # Its own short transaction, so that a read-only request does not commit the caller's
    # session; skipped when the stored time is recent enough.
    now = now_utc()
    if key.last_used_dt is not None and now - key.last_used_dt < LAST_USED_RESOLUTION:
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(ApiKey)
            .where(
                ApiKey.id == key.id,
                or_(
                    ApiKey.last_used_dt.is_(None),
                    ApiKey.last_used_dt < now - LAST_USED_RESOLUTION,
                ),
            )
            .values(last_used_dt=now)
        )
