"""API keys, participant sessions, sign-in links and feed secrets, on the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from api.accounts.feeds import (
    event_feed,
    feed_for_secret,
    participant_feed,
    reveal,
    revoke,
    rotate_participant_feed,
)
from api.accounts.keys import (
    create_api_key,
    create_person,
    get_own_key,
    key_for_secret,
    list_api_keys,
    revoke_api_key,
    rotate_api_key,
)
from api.accounts.participant_sessions import (
    MAX_ACTIVE_SESSIONS,
    open_session,
    revoke_all_sessions,
    rotate_session,
    session_for_token,
)
from api.accounts.sign_in import LinkRefused, issue_link_token, redeem_link_token
from api.exceptions import Conflict, InvalidInput, NotFound
from api.extensions import db
from api.models import ApiKey, Event, Organiser, Participant, SignInLink
from api.models.types import now_utc


@pytest.fixture
def person(app: Flask) -> Organiser:
    organiser = create_person("Mia Keller", email="Mia.Keller@Example.org")
    db.session.commit()
    return organiser


@pytest.fixture
def participant(app: Flask, event_factory: Any, participant_factory: Any) -> Participant:
    row = db.session.get(Participant, participant_factory().id)
    assert row is not None
    return row


def test_an_organiser_email_is_unique_whatever_its_case(person: Organiser) -> None:
    assert person.email == "mia.keller@example.org"
    with pytest.raises(Conflict):
        create_person("Someone", email="MIA.KELLER@example.org")


def test_a_key_is_stored_only_as_a_hash_and_opens_for_its_secret(person: Organiser) -> None:
    key, secret = create_api_key(person, "laptop", "read")
    db.session.commit()

    assert secret not in {key.key_hash, key.key_prefix}
    assert secret.startswith(key.key_prefix)
    found = key_for_secret(secret)
    assert found is not None and (found.id, found.scope) == (key.id, "read")
    assert key_for_secret(secret + "x") is None


def test_keys_are_listed_by_person_and_hidden_from_others(person: Organiser) -> None:
    other = create_person("Other", email="other@example.org")
    mine, _ = create_api_key(person, "laptop")
    theirs, _ = create_api_key(other, "server")
    db.session.commit()

    assert [k.id for k in list_api_keys(person)] == [mine.id]
    with pytest.raises(NotFound):
        get_own_key(person, theirs.id)


@pytest.mark.parametrize(
    ("name", "scope", "field"), [("", "full", "name"), ("ci", "admin", "scope")]
)
def test_a_key_needs_a_name_and_a_known_scope(
    person: Organiser, name: str, scope: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_api_key(person, name, scope)
    assert field in refused.value.errors


def test_rotation_replaces_the_key_and_the_old_secret_stops(person: Organiser) -> None:
    key, old_secret = create_api_key(person, "ci", "read")
    db.session.commit()

    successor, new_secret = rotate_api_key(key)
    db.session.commit()

    assert key_for_secret(old_secret) is None
    found = key_for_secret(new_secret)
    assert found is not None and found.id == successor.id
    assert (successor.name, successor.scope) == ("ci", "read")
    assert key.replaced_by_id == successor.id
    with pytest.raises(Conflict):
        rotate_api_key(key)


def test_a_revoked_key_opens_nothing_and_leaves_the_list(person: Organiser) -> None:
    key, secret = create_api_key(person, "old laptop")
    db.session.commit()

    revoke_api_key(key)
    db.session.commit()

    assert key_for_secret(secret) is None
    assert list_api_keys(person) == []
    assert [k.id for k in list_api_keys(person, include_revoked=True)] == [key.id]


def test_changing_with_a_key_records_when_it_was_last_used(person: Organiser) -> None:
    key, secret = create_api_key(person, "laptop")
    db.session.commit()
    assert key.last_used_dt is None

    key_for_secret(secret)
    db.session.expire_all()
    unchanged = db.session.get(ApiKey, key.id)
    assert unchanged is not None and unchanged.last_used_dt is None

    key_for_secret(secret, record_use=True)
    db.session.expire_all()

    row = db.session.get(ApiKey, key.id)
    assert row is not None and row.last_used_dt is not None


def test_sign_out_everywhere_revokes_every_session(participant: Participant) -> None:
    _, phone = open_session(participant, "sign-in link")
    _, laptop = open_session(participant, "sign-in link")
    db.session.commit()

    closed = revoke_all_sessions(participant)
    db.session.commit()

    assert closed >= 2
    assert session_for_token(phone) is None
    assert session_for_token(laptop) is None


def test_rotating_a_session_gives_a_new_token_and_stops_the_old(
    participant: Participant,
) -> None:
    session, old = open_session(participant, "sign-in link")
    db.session.commit()

    _, new = rotate_session(session)
    db.session.commit()

    assert session_for_token(old) is None
    found = session_for_token(new)
    assert found is not None and found.participant_id == participant.id


def test_the_oldest_sessions_close_beyond_the_limit(participant: Participant) -> None:
    tokens = [open_session(participant, "sign-in link")[1] for _ in range(MAX_ACTIVE_SESSIONS + 2)]
    db.session.commit()

    assert session_for_token(tokens[0]) is None
    assert all(session_for_token(t) is not None for t in tokens[-MAX_ACTIVE_SESSIONS:])


def test_a_sign_in_link_works_once(participant: Participant) -> None:
    token = issue_link_token(participant=participant)
    db.session.commit()

    link = redeem_link_token(token)
    db.session.commit()
    assert link.participant_id == participant.id and link.used_dt is not None

    with pytest.raises(LinkRefused, match="already used"):
        redeem_link_token(token)


def test_a_sign_in_link_expires(participant: Participant) -> None:
    token = issue_link_token(participant=participant)
    db.session.commit()
    link = db.session.scalars(db.select(SignInLink).order_by(SignInLink.id.desc())).first()
    assert link is not None
    link.expires_dt = now_utc() - timedelta(seconds=1)
    db.session.commit()

    with pytest.raises(LinkRefused, match="expired"):
        redeem_link_token(token)


def test_a_sign_in_link_older_than_its_signature_allows_is_refused(
    participant: Participant,
) -> None:
    token = issue_link_token(participant=participant)
    db.session.commit()

    with pytest.raises(LinkRefused, match="expired"):
        redeem_link_token(token, max_age=timedelta(seconds=-10))


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: ""])
def test_a_tampered_sign_in_link_is_refused(participant: Participant, mangle: Any) -> None:
    token = issue_link_token(participant=participant)
    db.session.commit()

    with pytest.raises(LinkRefused, match="not valid"):
        redeem_link_token(mangle(token))


def test_a_feed_secret_is_stable_until_rotated(participant: Participant) -> None:
    feed = participant_feed(participant)
    db.session.commit()
    secret = reveal(feed)

    assert participant_feed(participant).id == feed.id
    assert secret not in {feed.salt, feed.secret_hash}
    found = feed_for_secret(secret)
    assert found is not None and found.participant_id == participant.id

    fresh = rotate_participant_feed(participant)
    db.session.commit()
    assert feed_for_secret(secret) is None
    assert reveal(fresh) != secret
    assert feed_for_secret(reveal(fresh)) is not None


def test_event_feed_secrets_are_revoked_one_by_one(
    participant: Participant, person: Organiser
) -> None:
    event = db.session.get(Event, participant.event_id)
    assert event is not None
    printer = event_feed(event, person)
    screen = event_feed(event, person)
    db.session.commit()

    revoke(printer)
    db.session.commit()

    assert feed_for_secret(reveal(printer)) is None
    assert feed_for_secret(reveal(screen)) is not None


def test_credentials_of_one_kind_open_nothing_of_another(
    participant: Participant, person: Organiser
) -> None:
    _, key = create_api_key(person, "laptop")
    _, token = open_session(participant, "registration")
    feed = reveal(participant_feed(participant))
    db.session.commit()

    assert session_for_token(key) is None and feed_for_secret(key) is None
    assert key_for_secret(token) is None and feed_for_secret(token) is None
    assert key_for_secret(feed) is None and session_for_token(feed) is None
