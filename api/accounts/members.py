"""Who runs an event: members with roles (owner, manager, viewer, check-in desk).

Permissions are looked up here and nowhere else; ``EventMember.can`` says what a role
allows, and a read-only API key narrows any role to reading.
"""

from __future__ import annotations

from sqlalchemy import func, select

from api.accounts.keys import create_person, normalise_email
from api.exceptions import Conflict, InvalidInput, NotFound
from api.extensions import db
from api.models import Event, EventMember, Organiser
from api.models.event_members import MemberRole, Permission

MAX_MEMBERS = 200


def membership(event: Event, organiser: Organiser | None) -> EventMember | None:
    if organiser is None:
        return None
    return db.session.scalar(
        select(EventMember).where(
            EventMember.event_id == event.id, EventMember.organiser_id == organiser.id
        )
    )


def has_permission(event: Event, organiser: Organiser | None, permission: Permission) -> bool:
    member = membership(event, organiser)
    return member is not None and member.can(permission)


def list_members(event: Event) -> list[EventMember]:
    return list(
        db.session.scalars(
            select(EventMember).where(EventMember.event_id == event.id).order_by(EventMember.id)
        )
    )


def get_member(event: Event, member_id: int) -> EventMember:
    member = db.session.get(EventMember, member_id)
    if member is None or member.event_id != event.id:
        raise NotFound("Member not found")
    return member


def add_owner(event: Event, organiser: Organiser) -> EventMember:
    """The person who creates an event owns it."""
    member = EventMember(event_id=event.id, organiser_id=organiser.id, role=MemberRole.OWNER)
    db.session.add(member)
    db.session.flush()
    return member


def _role(value: str) -> MemberRole:
    try:
        return MemberRole(value)
    except ValueError:
        allowed = ", ".join(r.value for r in MemberRole)
        raise InvalidInput({"role": [f"Must be one of: {allowed}."]}) from None


def add_member(
    event: Event, email: str, role: str, invited_by: Organiser, name: str | None = None
) -> tuple[EventMember, bool]:
    """Give the person with this e-mail a role; returns the member and whether the
    person is new (then they have no key yet and the invitation carries a key link)."""
    member_role = _role(role)
    email = normalise_email(email)
    if "@" not in email:
        raise InvalidInput({"email": ["Not an e-mail address."]})
    count = db.session.scalar(
        select(func.count(EventMember.id)).where(EventMember.event_id == event.id)
    )
    if (count or 0) >= MAX_MEMBERS:
        raise Conflict(f"An event has at most {MAX_MEMBERS} members")
    person = db.session.scalar(select(Organiser).where(Organiser.email == email))
    is_new = person is None
    if person is None:
        team = None
        if invited_by.team_id is not None:
            from api.models import OrganiserTeam

            team = db.session.get(OrganiserTeam, invited_by.team_id)
        person = create_person(name or email.split("@", 1)[0], email=email, team=team)
    elif membership(event, person) is not None:
        raise Conflict("This person is already a member of the event")
    member = EventMember(
        event_id=event.id,
        organiser_id=person.id,
        role=member_role.value,
        invited_by_id=invited_by.id,
    )
    db.session.add(member)
    db.session.flush()
    return member, is_new


def _owners(event: Event) -> int:
    return int(
        db.session.scalar(
            select(func.count(EventMember.id)).where(
                EventMember.event_id == event.id, EventMember.role == MemberRole.OWNER.value
            )
        )
        or 0
    )


def change_role(event: Event, member: EventMember, role: str) -> EventMember:
    new_role = _role(role)
    if member.role == MemberRole.OWNER and new_role != MemberRole.OWNER and _owners(event) <= 1:
        raise Conflict("An event keeps at least one owner")
    member.role = new_role.value
    db.session.flush()
    return member


def remove_member(event: Event, member: EventMember) -> None:
    if member.role == MemberRole.OWNER and _owners(event) <= 1:
        raise Conflict("An event keeps at least one owner")
    db.session.delete(member)
    db.session.flush()
