"""The organisers' team page: who works on the event and in which role; owners invite,
change roles and remove members with the same operations as ``/api/v1/events/{id}/members``
(``api.accounts.members``), so the rules (one owner at least, a member cap) are the same."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from api.accounts import members
from api.exceptions import ClustermeetError, InvalidInput
from api.extensions import db
from api.models import Event, Organiser
from api.models.event_members import MemberRole, Permission
from api.signals import member_added, send
from api.web_forms import flatten_errors
from api.web_session import (
    load_session_principal,
    organised_event,
    protect_response,
    signed_in_organiser,
)

blp = Blueprint(
    "team_web",
    __name__,
    url_prefix="/events/<int:event_id>/organise/team",
    template_folder="templates",
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)

ROLES = {
    MemberRole.OWNER: _l("Owner: everything, including the team and webhooks"),
    MemberRole.MANAGER: _l("Manager: participants, programme, solving, publishing"),
    MemberRole.VIEWER: _l("Viewer: reads everything, changes nothing"),
    MemberRole.CHECKIN: _l("Check-in desk: marks meetings held or missed"),
}
MAX_NAME = 200
MAX_EMAIL = 254


def _rows(event: Event) -> list[dict[str, Any]]:
    rows = []
    for member in members.list_members(event):
        person = db.session.get(Organiser, member.organiser_id)
        assert person is not None
        rows.append({"member": member, "person": person})
    return rows


def _page(event: Event, errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    me = signed_in_organiser()
    return render_template(
        "team/team.html",
        event=event,
        rows=_rows(event),
        roles=ROLES,
        is_admin=event.permits(me, Permission.ADMIN),
        me=me,
        errors=errors,
        form=request.form if request.method == "POST" else {},
    ), status


def _administered(event_id: int) -> Event:
    return organised_event(event_id, Permission.ADMIN)


@blp.get("")
def team(event_id: int) -> tuple[str, int]:
    return _page(organised_event(event_id), {})


@blp.post("")
def invite(event_id: int) -> Any:
    """Give a person (by e-mail) a role; they are told by mail, and a person new to
    clustermeet gets a link to create their first API key (as the API does)."""
    event = _administered(event_id)
    inviter = signed_in_organiser()
    assert inviter is not None
    email = request.form.get("email", "").strip()[:MAX_EMAIL]
    name = request.form.get("name", "").strip()[:MAX_NAME] or None
    role = request.form.get("role", "")
    if not email:
        return _page(event, {"email": _("Enter the person's email address.")}, 422)
    try:
        member, is_new = members.add_member(event, email, role, inviter, name=name)
        send(member_added, member=member, inviter=inviter, is_new=is_new)
        db.session.commit()
    except InvalidInput as exc:
        db.session.rollback()
        return _page(event, flatten_errors(exc.errors), 422)
    except ClustermeetError as exc:
        db.session.rollback()
        return _page(event, {"email": str(exc)}, 409)
    flash(_("%(email)s is now on the team; they were told by mail.", email=email))
    return redirect(url_for("team_web.team", event_id=event.id))


@blp.post("/<int:member_id>/role")
def change_role(event_id: int, member_id: int) -> Response:
    event = _administered(event_id)
    member = members.get_member(event, member_id)
    try:
        members.change_role(event, member, request.form.get("role", ""))
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(_("That did not work: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("team_web.team", event_id=event.id))
    flash(_("Role changed to %(role)s.", role=member.role))
    return redirect(url_for("team_web.team", event_id=event.id))


@blp.post("/<int:member_id>/remove")
def remove(event_id: int, member_id: int) -> Response:
    event = _administered(event_id)
    member = members.get_member(event, member_id)
    try:
        members.remove_member(event, member)
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(_("That did not work: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("team_web.team", event_id=event.id))
    flash(_("Removed from the team."))
    return redirect(url_for("team_web.team", event_id=event.id))
