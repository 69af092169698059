"""Declining with a word: the invitee's short message goes to the requester (shown in
their inbox and in the mail that tells them). The state change itself is
``operations.decline_request``; this sets the message first, so the mail has it."""

from __future__ import annotations

from api.exceptions import InvalidInput
from api.models import MeetingRequest, Participant
from api.requests.operations import decline_request

MAX_ANSWER_MESSAGE = 500


def decline_with_message(
    request: MeetingRequest, actor: Participant | None, message: str, field: str = "message"
) -> None:
    """Decline ``request`` as ``actor``; refusals are ``decline_request``'s. Flushes only."""
    message = message.strip()
    if len(message) > MAX_ANSWER_MESSAGE:
        raise InvalidInput({field: [f"At most {MAX_ANSWER_MESSAGE} characters."]})
    request.answer_message = message
    decline_request(request, actor)
