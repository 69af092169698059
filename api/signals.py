"""What happened, for whoever listens (mail today): features send these, in the
transaction of the change and before it commits, so listeners can stage their own rows
(an e-mail in the outbox) in the same transaction.

Sending a signal instead of calling the listener keeps imports one way: the mail
knows about requests, schedules and accounts; they do not know about the mail.
Every signal is sent with the app as sender and keyword arguments only.
"""

from __future__ import annotations

from typing import Any

from blinker import NamedSignal, Namespace
from flask import current_app

_signals = Namespace()

participant_registered = _signals.signal("participant-registered")
"""``participant``: a participant registered (or was imported)."""

registered_again = _signals.signal("registered-again")
"""``participant``: someone registered again with a registered participant's address."""

sign_in_requested = _signals.signal("sign-in-requested")
"""``participant``: a registered participant asked for a sign-in link."""

member_added = _signals.signal("member-added")
"""``member``, ``inviter``, ``is_new``: an organiser was given a role on an event."""

request_created = _signals.signal("request-created")
"""``request``: a meeting request was made and waits for an answer."""

request_answered = _signals.signal("request-answered")
"""``request``: the invitee accepted or declined."""

schedule_published = _signals.signal("schedule-published")
"""``event``, ``version``: a schedule version was published (its diff is set)."""

meeting_cancelled = _signals.signal("meeting-cancelled")
"""``event``, ``meeting``: a meeting was cancelled after its schedule was published."""


def send(signal: NamedSignal, **kwargs: Any) -> None:
    """Send ``signal`` from the current app."""
    signal.send(current_app._get_current_object(), **kwargs)  # type: ignore[attr-defined]
