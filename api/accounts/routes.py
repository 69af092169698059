"""Accounts over HTTP: API keys, event members, participant sign-in and sessions, feed
links and notification settings."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from api.accounts import feeds, keys, members, participant_sessions
from api.accounts.schemas import (
    ApiKeyCreatedSchema,
    ApiKeyQueryArgsSchema,
    ApiKeySchema,
    FeedLinkSchema,
    FirstKeySchema,
    MemberPatchSchema,
    MemberSchema,
    MessageSchema,
    NotificationSettingsSchema,
    SignedInSchema,
    SignedOutSchema,
    SignInRequestSchema,
    SignInTokenSchema,
)
from api.accounts.sign_in import (
    INVITATION_LIFETIME,
    LinkRefused,
    redeem_link_token,
    request_sign_in_link,
)
from api.exceptions import NotFound, Unauthorized
from api.extensions import db, limiter
from api.http.guards import (
    event_permission_required,
    get_event,
    get_event_participant,
    get_permitted_event,
    organiser_required,
    participant_required,
    require_organiser,
    require_participant,
    require_participant_editor,
)
from api.http.links import public_url
from api.http.openapi import public
from api.models import ApiKey, EventMember, FeedSecret, Organiser, Participant
from api.models.event_members import Permission
from api.signals import member_added, send

blp = Blueprint(
    "accounts",
    __name__,
    url_prefix="/api/v1",
    description="Accounts: API keys, event members, participant sign-in and sessions, feed links",
)


def _created_key(key: ApiKey, secret: str) -> ApiKey:
    # Shown once in the answer, never stored.
    key.secret = secret
    return key


@blp.route("/accounts/keys")
class ApiKeyViews(MethodView):
    @organiser_required
    @blp.arguments(ApiKeyQueryArgsSchema, location="query")
    @blp.response(200, ApiKeySchema(many=True))
    def get(self, args: dict[str, Any]) -> list[ApiKey]:
        """The caller's API keys (never their secrets)."""
        return keys.list_api_keys(require_organiser(), include_revoked=args["include_revoked"])

    @organiser_required
    @blp.arguments(ApiKeySchema)
    @blp.response(201, ApiKeyCreatedSchema)
    def post(self, data: dict[str, Any]) -> ApiKey:
        """A new key for the caller; the secret is in this response only."""
        key, secret = keys.create_api_key(require_organiser(), data["name"], data["scope"])
        db.session.commit()
        return _created_key(key, secret)


@blp.route("/accounts/keys/<int:key_id>")
class ApiKeyByIdViews(MethodView):
    @organiser_required
    @blp.response(204)
    def delete(self, key_id: int) -> None:
        """Revoke one of the caller's keys (it may be the one in use)."""
        keys.revoke_api_key(keys.get_own_key(require_organiser(), key_id))
        db.session.commit()


@blp.route("/accounts/keys/<int:key_id>/rotate")
class ApiKeyRotateViews(MethodView):
    @organiser_required
    @blp.response(201, ApiKeyCreatedSchema)
    def post(self, key_id: int) -> ApiKey:
        """Replace a key by a new one with the same name and scope; the old one stops now."""
        key, secret = keys.rotate_api_key(keys.get_own_key(require_organiser(), key_id))
        db.session.commit()
        return _created_key(key, secret)


@blp.route("/accounts/first-key")
class FirstKeyViews(MethodView):
    @public
    @blp.arguments(FirstKeySchema)
    @blp.response(201, ApiKeyCreatedSchema)
    def post(self, data: dict[str, Any]) -> ApiKey:
        """Exchange the link of an invitation for the invited person's first API key."""
        key, secret = first_key(data["token"], data["name"])
        db.session.commit()
        return _created_key(key, secret)


def first_key(token: str, name: str) -> tuple[ApiKey, str]:
    try:
        link = redeem_link_token(token, max_age=INVITATION_LIFETIME)
    except LinkRefused as refused:
        raise Unauthorized(str(refused)) from None
    person = db.session.get(Organiser, link.organiser_id) if link.organiser_id else None
    if person is None:
        raise Unauthorized("This link is not an invitation")
    return keys.create_api_key(person, name)


def _member(member: EventMember) -> dict[str, Any]:
    person = db.session.get(Organiser, member.organiser_id)
    assert person is not None
    return {
        "id": member.id,
        "organiser_id": person.id,
        "name": person.name,
        "email": person.email,
        "role": member.role,
        "created_dt": member.created_dt,
    }


@blp.route("/events/<int:event_id>/members")
class MemberViews(MethodView):
    @event_permission_required(Permission.READ)
    @blp.response(200, MemberSchema(many=True))
    def get(self, event_id: int) -> list[dict[str, Any]]:
        """The event's organisers and their roles."""
        event = get_permitted_event(event_id, Permission.READ)
        return [_member(m) for m in members.list_members(event)]

    @event_permission_required(Permission.ADMIN)
    @blp.arguments(MemberSchema)
    @blp.response(201, MemberSchema)
    def post(self, data: dict[str, Any], event_id: int) -> dict[str, Any]:
        """Give a person (by e-mail) a role on the event (owner); they are told by mail,
        and a person new to clustermeet gets a link to create their first key."""
        event = get_permitted_event(event_id, Permission.ADMIN)
        inviter = require_organiser()
        member, is_new = members.add_member(
            event, data["email"], data["role"], inviter, name=data.get("name")
        )
        send(member_added, member=member, inviter=inviter, is_new=is_new)
        db.session.commit()
        return _member(member)


@blp.route("/events/<int:event_id>/members/<int:member_id>")
class MemberByIdViews(MethodView):
    @event_permission_required(Permission.ADMIN)
    @blp.arguments(MemberPatchSchema)
    @blp.response(200, MemberSchema)
    def patch(self, data: dict[str, Any], event_id: int, member_id: int) -> dict[str, Any]:
        """Change a member's role (owner); an event keeps at least one owner."""
        event = get_permitted_event(event_id, Permission.ADMIN)
        member = members.change_role(event, members.get_member(event, member_id), data["role"])
        db.session.commit()
        return _member(member)

    @event_permission_required(Permission.ADMIN)
    @blp.response(204)
    def delete(self, event_id: int, member_id: int) -> None:
        """Remove a member (owner); an event keeps at least one owner."""
        event = get_permitted_event(event_id, Permission.ADMIN)
        members.remove_member(event, members.get_member(event, member_id))
        db.session.commit()


def _sign_in_mail_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGN_IN_MAIL"])


def _sign_in_mail_per_email_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGN_IN_MAIL_PER_EMAIL"])


def _asked_email() -> str:
    """The limit's key for one e-mail address, whoever asks (unreadable bodies share one)."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"sign-in:{email.strip().lower() if isinstance(email, str) else ''}"


@blp.route("/events/<int:event_id>/sign-in")
class SignInRequestViews(MethodView):
    @public
    @blp.alt_response(429, description="Too many sign-in mails asked for; wait.")
    @limiter.limit(_sign_in_mail_limit)
    @limiter.limit(_sign_in_mail_per_email_limit, key_func=_asked_email)
    @blp.arguments(SignInRequestSchema)
    @blp.response(202, MessageSchema)
    def post(self, data: dict[str, Any], event_id: int) -> dict[str, str]:
        """Mail a sign-in link to a registered participant.

        The answer is the same whether or not the address is registered, so nobody can
        find out who takes part; a person gets at most five links per 15 minutes. Asking
        is rate-limited per client and per e-mail address (429), registered or not.
        """
        request_sign_in_link(get_event(event_id), data["email"])
        db.session.commit()
        return {"message": "If this address is registered, a sign-in link is on its way."}


@blp.route("/sign-in")
class SignInViews(MethodView):
    @public
    @blp.arguments(SignInTokenSchema)
    @blp.response(201, SignedInSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Exchange a sign-in link's token for a bearer token (the link works once)."""
        participant, token = sign_in_with_link(data["token"])
        db.session.commit()
        return {
            "access_token": token,
            "participant_id": participant.id,
            "event_id": participant.event_id,
        }


def sign_in_with_link(token: str) -> tuple[Participant, str]:
    try:
        link = redeem_link_token(token)
    except LinkRefused as refused:
        raise Unauthorized(str(refused)) from None
    participant = db.session.get(Participant, link.participant_id) if link.participant_id else None
    if participant is None:
        raise Unauthorized("This sign-in link is not valid")
    _, bearer = participant_sessions.open_session(participant, "sign-in link")
    return participant, bearer


@blp.route("/accounts/session/rotate")
class SessionRotateViews(MethodView):
    @participant_required
    @blp.response(201, SignedInSchema)
    def post(self) -> dict[str, Any]:
        """A fresh token for this device; the one used for this request stops now."""
        participant = require_participant()
        _, token = participant_sessions.rotate_session(g.participant_session)
        db.session.commit()
        return {
            "access_token": token,
            "participant_id": participant.id,
            "event_id": participant.event_id,
        }


@blp.route("/accounts/session/sign-out")
class SignOutViews(MethodView):
    @participant_required
    @blp.response(200, SignedOutSchema)
    def post(self) -> dict[str, int]:
        """End this session."""
        require_participant()
        participant_sessions.revoke_session(g.participant_session)
        db.session.commit()
        return {"sessions_ended": 1}


@blp.route("/accounts/session/sign-out-everywhere")
class SignOutEverywhereViews(MethodView):
    @participant_required
    @blp.response(200, SignedOutSchema)
    def post(self) -> dict[str, int]:
        """End every session of the caller, on every device (this one too)."""
        ended = participant_sessions.revoke_all_sessions(require_participant())
        db.session.commit()
        return {"sessions_ended": ended}


def feed_urls(feed: FeedSecret) -> dict[str, str]:
    secret = feeds.reveal(feed)
    if feed.participant_id is not None:
        return {
            "calendar": public_url(f"/feeds/{secret}/agenda.ics"),
            "schedule": public_url(f"/feeds/{secret}/schedule"),
        }
    return {
        "grid": public_url(f"/feeds/{secret}/grid"),
        "stats": public_url(f"/feeds/{secret}/stats"),
        "table_plan": public_url(f"/feeds/{secret}/tables/{{table_id}}/plan"),
        "participant_schedule": public_url(
            f"/feeds/{secret}/participants/{{participant_id}}/schedule"
        ),
    }


def _feed(feed: FeedSecret) -> dict[str, Any]:
    return {
        "id": feed.id,
        "scope": feed.scope,
        "participant_id": feed.participant_id,
        "created_dt": feed.created_dt,
        "urls": feed_urls(feed),
    }


def _own_participant(event_id: int, participant_id: int) -> Participant:
    event = get_event(event_id)
    participant = get_event_participant(event, participant_id)
    require_participant_editor(participant)
    return participant


@blp.route("/events/<int:event_id>/participants/<int:participant_id>/feed")
class ParticipantFeedViews(MethodView):
    @blp.response(200, FeedLinkSchema)
    def get(self, event_id: int, participant_id: int) -> dict[str, Any]:
        """The participant's read-only calendar and agenda links (them or the organiser)."""
        feed = feeds.participant_feed(_own_participant(event_id, participant_id))
        db.session.commit()
        return _feed(feed)


@blp.route("/events/<int:event_id>/participants/<int:participant_id>/feed/rotate")
class ParticipantFeedRotateViews(MethodView):
    @blp.response(201, FeedLinkSchema)
    def post(self, event_id: int, participant_id: int) -> dict[str, Any]:
        """New calendar and agenda links; the old ones stop now."""
        feed = feeds.rotate_participant_feed(_own_participant(event_id, participant_id))
        db.session.commit()
        return _feed(feed)


@blp.route("/events/<int:event_id>/participants/<int:participant_id>/notifications")
class NotificationSettingsViews(MethodView):
    @blp.response(200, NotificationSettingsSchema)
    def get(self, event_id: int, participant_id: int) -> Participant:
        """The participant's mail language and the kinds of mail turned off."""
        return _own_participant(event_id, participant_id)

    @blp.arguments(NotificationSettingsSchema)
    @blp.response(200, NotificationSettingsSchema)
    def put(self, data: dict[str, Any], event_id: int, participant_id: int) -> Participant:
        """Change the mail language or the kinds of mail turned off."""
        participant = _own_participant(event_id, participant_id)
        if "language" in data:
            participant.language = data["language"]
        if "muted_notifications" in data:
            participant.muted_notifications = sorted(set(data["muted_notifications"]))
        db.session.commit()
        return participant


@blp.route("/events/<int:event_id>/page-links")
class PageLinkViews(MethodView):
    @event_permission_required(Permission.ADMIN)
    @blp.response(200, FeedLinkSchema(many=True))
    def get(self, event_id: int) -> list[dict[str, Any]]:
        """Read-only links to the event's printable pages, one per printer or screen."""
        event = get_permitted_event(event_id, Permission.ADMIN)
        return [_feed(f) for f in feeds.list_event_feeds(event)]

    @event_permission_required(Permission.ADMIN)
    @blp.response(201, FeedLinkSchema)
    def post(self, event_id: int) -> dict[str, Any]:
        """A new read-only link set for the printable pages (owner)."""
        event = get_permitted_event(event_id, Permission.ADMIN)
        feed = feeds.event_feed(event, require_organiser())
        db.session.commit()
        return _feed(feed)


@blp.route("/events/<int:event_id>/page-links/<int:link_id>")
class PageLinkByIdViews(MethodView):
    @event_permission_required(Permission.ADMIN)
    @blp.response(204)
    def delete(self, event_id: int, link_id: int) -> None:
        """Revoke a page link (owner)."""
        event = get_permitted_event(event_id, Permission.ADMIN)
        feed = db.session.get(FeedSecret, link_id)
        if feed is None or feed.event_id != event.id or feed.participant_id is not None:
            raise NotFound("Page link not found")
        feeds.revoke(feed)
        db.session.commit()
