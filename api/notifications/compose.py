"""Writing mail: render it, store it in the current transaction, send it after commit."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from api.background.runner import submit_after_commit
from api.extensions import db
from api.http.links import public_url
from api.i18n import supported_language
from api.models import Event, Organiser, OutgoingMail, Participant
from api.notifications.delivery import SEND_MAIL_TASK
from api.notifications.kinds import OPTIONAL_KINDS, NotificationKind
from api.notifications.preferences import ALL_KINDS, unsubscribe_token, wants
from api.notifications.rendering import render_mail


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


def unsubscribe_url(participant: Participant, kind: str = ALL_KINDS) -> str:
    return public_url(f"/notifications/unsubscribe/{unsubscribe_token(participant, kind)}")


def compose(
    *,
    kind: NotificationKind,
    recipient: str,
    language: str,
    context: dict[str, Any],
    participant: Participant | None = None,
    organiser: Organiser | None = None,
    attachments: Sequence[Attachment] = (),
    headers: dict[str, str] | None = None,
    dedupe_key: str | None = None,
) -> OutgoingMail | None:
    """Stage one mail; None if ``dedupe_key`` says it was already written."""
    if dedupe_key is not None and db.session.scalar(
        select(OutgoingMail.id).where(OutgoingMail.dedupe_key == dedupe_key)
    ):
        return None
    rendered = render_mail(kind, language, context)
    mail = OutgoingMail(
        kind=kind.value,
        participant_id=participant.id if participant else None,
        organiser_id=organiser.id if organiser else None,
        recipient=recipient,
        language=language,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        headers=headers or {},
        attachments=[
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "content": base64.b64encode(a.content).decode(),
            }
            for a in attachments
        ],
        dedupe_key=dedupe_key,
    )
    db.session.add(mail)
    db.session.flush()
    submit_after_commit(SEND_MAIL_TASK, mail.id)
    return mail


def notify_participant(
    participant: Participant,
    event: Event,
    kind: NotificationKind,
    context: dict[str, Any] | None = None,
    *,
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
) -> OutgoingMail | None:
    """Mail a participant unless they turned this kind off; every mail can unsubscribe."""
    if not participant.email or not wants(participant, kind):
        return None
    all_url = unsubscribe_url(participant)
    kind_url = unsubscribe_url(participant, kind.value) if kind in OPTIONAL_KINDS else None
    full_context = {
        "recipient_name": participant.first_name,
        "event_name": event.name,
        "unsubscribe_url": kind_url,
        "unsubscribe_all_url": all_url,
        **(context or {}),
    }
    headers = {
        "List-Unsubscribe": f"<{kind_url or all_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return compose(
        kind=kind,
        recipient=participant.email,
        language=supported_language(participant.language),
        context=full_context,
        participant=participant,
        attachments=attachments,
        headers=headers,
        dedupe_key=dedupe_key,
    )


def notify_organiser(
    organiser: Organiser, event: Event, kind: NotificationKind, context: dict[str, Any]
) -> OutgoingMail | None:
    if not organiser.email:
        return None
    full_context = {
        "recipient_name": organiser.name,
        "event_name": event.name,
        "unsubscribe_url": None,
        "unsubscribe_all_url": None,
        **context,
    }
    return compose(
        kind=kind,
        recipient=organiser.email,
        language=supported_language(organiser.language),
        context=full_context,
        organiser=organiser,
    )
