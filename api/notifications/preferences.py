"""Unsubscribe links and a participant's notification choices.

An unsubscribe link is signed with the app's secret key (itsdangerous) and says who
and which kind ("*" for everything optional); it works without signing in, as mail
clients' one-click unsubscribe (RFC 8058) requires, and can do nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from api.exceptions import InvalidInput
from api.models import Participant
from api.notifications.kinds import OPTIONAL_KINDS, NotificationKind

_SALT = "clustermeet.unsubscribe"
ALL_KINDS = "*"


@dataclass(frozen=True)
class Unsubscribe:
    participant_id: int
    kind: str  # a NotificationKind value or ALL_KINDS


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(participant: Participant, kind: str = ALL_KINDS) -> str:
    return str(_serializer().dumps({"p": participant.id, "k": kind}))


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """What a token asks for, or None if it was not made by us."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    kind = data.get("k")
    if kind != ALL_KINDS and kind not in {k.value for k in OPTIONAL_KINDS}:
        return None
    return Unsubscribe(participant_id=data["p"], kind=str(kind))


def wants(participant: Participant, kind: NotificationKind) -> bool:
    if kind not in OPTIONAL_KINDS:
        return True
    muted = set(participant.muted_notifications or [])
    return ALL_KINDS not in muted and kind.value not in muted


def set_muted(participant: Participant, kinds: list[str]) -> None:
    """Replace the muted kinds; ``"*"`` mutes every optional kind."""
    allowed = {k.value for k in OPTIONAL_KINDS} | {ALL_KINDS}
    unknown = sorted(set(kinds) - allowed)
    if unknown:
        raise InvalidInput(
            {"muted_notifications": [f"Unknown notification kinds: {', '.join(unknown)}"]}
        )
    participant.muted_notifications = sorted(set(kinds))


def mute(participant: Participant, kind: str) -> None:
    set_muted(participant, [*participant.muted_notifications, kind])
