"""Registering participants (with their organisation) and changing their profiles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

import api.signals as signals
from api.accounts.participant_sessions import open_session
from api.accounts.sign_in import may_send_link
from api.exceptions import Forbidden, InvalidInput
from api.extensions import db
from api.models import Event, Opportunity, Organisation, Participant
from api.models.enums import MembershipStatus
from api.models.types import now_utc
from api.registration.tags import resolve_tags

_PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "role",
    "attendance",
    "timezone",
    "working_hours_start",
    "working_hours_end",
    "languages",
    "group",
    "description",
    "is_public",
    "language",
    "muted_notifications",
)
_ORGANISATION_FIELDS = ("type", "country", "region", "size", "website", "description")


def email_taken(event_id: int, email: str, exclude_id: int | None = None) -> bool:
    query = select(Participant.id).where(
        Participant.event_id == event_id, Participant.email == email.lower()
    )
    if exclude_id is not None:
        query = query.where(Participant.id != exclude_id)
    return db.session.scalar(query) is not None


def find_or_create_organisation(
    event: Event, data: dict[str, Any], field: str
) -> tuple[Organisation, bool]:
    """Several participants represent one organisation: match it by name in the event.

    Returns the organisation and whether it is new. Only a new organisation takes the
    given fields and sectors: naming an existing one changes nothing of it.
    """
    name = data["name"].strip()
    in_event = select(Organisation).where(Organisation.event_id == event.id)
    # Exact match first: SQLite's lower() only folds ASCII letters.
    organisation = db.session.scalar(in_event.where(Organisation.name == name))
    if organisation is None:
        organisation = db.session.scalar(
            in_event.where(func.lower(Organisation.name) == name.lower())
        )
    if organisation is not None:
        return organisation, False
    organisation = Organisation(event_id=event.id, name=name)
    for column in _ORGANISATION_FIELDS:
        setattr(organisation, column, data.get(column))
    organisation.region = organisation.region or ""
    organisation.website = organisation.website or ""
    organisation.description = organisation.description or ""
    db.session.add(organisation)
    if data.get("sectors"):
        organisation.tags = resolve_tags(event.id, data["sectors"], f"{field}.sectors")
    return organisation, True


def get_event_organisation(event: Event, organisation_id: int, field: str) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.event_id != event.id:
        raise InvalidInput({field: ["No such organisation in this event."]})
    return organisation


def _refuse_group(data: dict[str, Any], current: str = "") -> None:
    if (data.get("group") or "") != current:
        raise Forbidden(
            "Only the organiser assigns a participant's group (field: group); the "
            "event's meeting rules depend on it."
        )


class AlreadyRegistered(InvalidInput):
    """The e-mail address is registered for the event already (422 naming the field).

    Only callers who may know who takes part see it (the organiser, the import); an
    anonymous registration goes through ``register_or_remind`` instead.
    """


def _check_references(event: Event, data: dict[str, Any], field_prefix: str) -> None:
    """Refuse unknown organisation ids and tags before looking at the e-mail address, so
    that a 422 for them never depends on whether the address is registered."""
    if "organisation_id" in data:
        get_event_organisation(event, data["organisation_id"], f"{field_prefix}organisation_id")
    elif (data.get("organisation") or {}).get("sectors"):
        resolve_tags(
            event.id, data["organisation"]["sectors"], f"{field_prefix}organisation.sectors"
        )
    resolve_tags(event.id, data.get("interests") or [], f"{field_prefix}interests")


def register_participant(
    event: Event,
    data: dict[str, Any],
    field_prefix: str = "",
    *,
    by_organiser: bool = False,
    with_token: bool = True,
) -> tuple[Participant, str]:
    """Create a participant; returns it with its access token (only its hash is stored).

    Someone registering themself with an organisation that already exists joins it
    pending approval (``approve_membership``); only the organiser sets ``group``. A taken
    e-mail address raises ``AlreadyRegistered``. Without ``with_token`` no session is
    opened and the token is ``""``: the person signs in with the mailed link.
    """
    if not by_organiser:
        _refuse_group(data)
    _check_references(event, data, field_prefix)
    email = data["email"].lower()
    if email_taken(event.id, email):
        raise AlreadyRegistered({f"{field_prefix}email": ["Already registered for this event."]})
    if "organisation_id" in data:
        organisation = get_event_organisation(
            event, data["organisation_id"], f"{field_prefix}organisation_id"
        )
        is_new = False
    else:
        organisation, is_new = find_or_create_organisation(
            event, data["organisation"], f"{field_prefix}organisation"
        )
    participant = Participant(
        event_id=event.id,
        organisation=organisation,
        email=email,
        membership=(
            MembershipStatus.APPROVED if by_organiser or is_new else MembershipStatus.PENDING
        ),
    )
    for column in _PROFILE_FIELDS:
        if column in data:
            setattr(participant, column, data[column])
    participant.interests = resolve_tags(
        event.id, data.get("interests") or [], f"{field_prefix}interests"
    )
    participant.consent_dt = now_utc()
    db.session.add(participant)
    db.session.flush()
    token = open_session(participant, "registration")[1] if with_token else ""
    signals.send(signals.participant_registered, participant=participant)
    return participant, token


def register_or_remind(event: Event, data: dict[str, Any]) -> Participant | None:
    """Anonymous registration that does not tell whether the address is registered.

    A new address registers (no token: the registration mail carries a sign-in link,
    so only the address's owner gets in); a registered one gets a mail "you are already
    registered, here is a sign-in link" (within the sign-in links' per-person limit) and
    nothing else changes. Returns the new participant, or None. Either way the caller
    answers the same; refusals that do not depend on the address (unknown tags, an
    organisation of another event, a group) come first, for both.
    """
    try:
        return register_participant(event, data, with_token=False)[0]
    except AlreadyRegistered:
        pass
    existing = db.session.scalar(
        select(Participant).where(
            Participant.event_id == event.id, Participant.email == data["email"].lower()
        )
    )
    assert existing is not None
    if may_send_link(participant=existing):
        signals.send(signals.registered_again, participant=existing)
    return None


def update_participant(
    participant: Participant, data: dict[str, Any], *, by_organiser: bool = False
) -> None:
    """Change a profile; moving to another organisation is pending unless the organiser moves."""
    if not by_organiser and "group" in data:
        _refuse_group(data, participant.group)
    if "email" in data:
        email = data["email"].lower()
        if email_taken(participant.event_id, email, exclude_id=participant.id):
            raise InvalidInput({"email": ["Already registered for this event."]})
        participant.email = email
    if "organisation_id" in data:
        event = db.session.get(Event, participant.event_id)
        assert event is not None
        organisation = get_event_organisation(event, data["organisation_id"], "organisation_id")
        if by_organiser:
            participant.membership = MembershipStatus.APPROVED
        elif organisation.id != participant.organisation_id:
            participant.membership = MembershipStatus.PENDING
        participant.organisation = organisation
    for column in _PROFILE_FIELDS:
        if column in data:
            setattr(participant, column, data[column])
    if participant.working_hours_end <= participant.working_hours_start:
        raise InvalidInput({"working_hours_end": ["Working hours must end after they start."]})
    if "interests" in data:
        participant.interests = resolve_tags(participant.event_id, data["interests"], "interests")


def approve_membership(participant: Participant, approver: Participant | None) -> None:
    """Approve a pending member: the organiser (``approver`` None) or an approved colleague."""
    if approver is not None and (
        approver.id == participant.id
        or approver.organisation_id != participant.organisation_id
        or approver.is_membership_pending
    ):
        raise Forbidden(
            "Only an approved representative of the organisation or the organiser may "
            "approve a member"
        )
    participant.membership = MembershipStatus.APPROVED


def add_opportunity(event: Event, owner: Participant, data: dict[str, Any]) -> Opportunity:
    """A marketplace item (offer, request, ...) of ``owner``, tagged from the taxonomy."""
    item = Opportunity(
        event_id=event.id,
        participant_id=owner.id,
        kind=data["kind"],
        title=data["title"],
        description=data.get("description", ""),
        tags=resolve_tags(event.id, data.get("tags") or [], "tags"),
    )
    db.session.add(item)
    db.session.flush()
    return item
