"""The mail each signal of ``api.signals`` causes; connected once by ``init_notifications``."""

from __future__ import annotations

from typing import Any

import api.signals as signals
from api.notifications import senders


def _registered(_app: Any, *, participant: Any) -> None:
    senders.registration_confirmation(participant)


def _registered_again(_app: Any, *, participant: Any) -> None:
    senders.already_registered(participant)


def _sign_in(_app: Any, *, participant: Any) -> None:
    senders.send_sign_in_link(participant)


def _member(_app: Any, *, member: Any, inviter: Any, is_new: bool) -> None:
    senders.member_invited(member, inviter, is_new=is_new)


def _created(_app: Any, *, request: Any) -> None:
    senders.request_received(request)


def _answered(_app: Any, *, request: Any) -> None:
    senders.request_answered(request)


def _published(_app: Any, *, event: Any, version: Any) -> None:
    senders.schedule_published(event, version)


def _cancelled(_app: Any, *, event: Any, meeting: Any) -> None:
    senders.meeting_cancelled(event, meeting)


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    signals.participant_registered.connect(_registered)
    signals.registered_again.connect(_registered_again)
    signals.sign_in_requested.connect(_sign_in)
    signals.member_added.connect(_member)
    signals.request_created.connect(_created)
    signals.request_answered.connect(_answered)
    signals.schedule_published.connect(_published)
    signals.meeting_cancelled.connect(_cancelled)
