"""Participant web pages: registration and the marketplace.

The forms are read by the API's own schemas and written by the same operations, so a
rule lives in one place; a refused form is shown again with each field's message.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from api.exceptions import Forbidden, InvalidInput, NotFound, Unauthorized
from api.extensions import db, limiter
from api.models import Event, Opportunity, Organisation, Participant, Tag
from api.models.enums import MembershipStatus, OpportunityKind, OrganisationType
from api.models.event_members import Permission
from api.registration.operations import (
    add_opportunity,
    approve_membership,
    register_or_remind,
    update_participant,
)
from api.registration.participant_import import import_participants
from api.registration.schemas.opportunities import OpportunitySchema
from api.registration.schemas.participants import ParticipantPatchSchema, RegistrationSchema
from api.web_forms import flatten_errors
from api.web_session import (
    load_session_principal,
    organised_event,
    participant_of,
    protect_response,
)

blp = Blueprint(
    "market", __name__, url_prefix="/events/<int:event_id>", template_folder="templates"
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)

ORGANISATION_TYPES = {
    OrganisationType.SME: _l("SME"),
    OrganisationType.LARGE_COMPANY: _l("Large company"),
    OrganisationType.CLUSTER_ORGANISATION: _l("Cluster organisation"),
    OrganisationType.RESEARCH: _l("Research organisation"),
    OrganisationType.UNIVERSITY: _l("University"),
    OrganisationType.PUBLIC_AUTHORITY: _l("Public authority"),
    OrganisationType.INVESTOR: _l("Investor"),
    OrganisationType.OTHER: _l("Other"),
}
OPPORTUNITY_KINDS = {
    OpportunityKind.OFFER: _l("Offer"),
    OpportunityKind.REQUEST: _l("Request"),
    OpportunityKind.COOPERATION: _l("Cooperation"),
    OpportunityKind.INVESTMENT: _l("Investment"),
    OpportunityKind.PARTNER_SEARCH: _l("Partner search"),
}
PAGE_SIZE = 50


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found")
    return event


def _tags(event: Event) -> list[Tag]:
    return list(
        db.session.scalars(
            select(Tag).where(Tag.event_id == event.id).order_by(Tag.kind, Tag.label)
        )
    )


def _registration_data(event: Event) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    form = request.form
    data: dict[str, Any] = {
        "first_name": form.get("first_name", "").strip(),
        "last_name": form.get("last_name", "").strip(),
        "email": form.get("email", "").strip(),
        "role": form.get("role", "").strip(),
        "attendance": form.get("attendance", "on_site"),
        "interests": form.getlist("interests"),
        "consent": form.get("consent") == "yes",
        "is_public": form.get("is_public", "yes") == "yes",
    }
    if form.get("organisation_id"):
        try:
            data["organisation_id"] = int(form["organisation_id"])
        except ValueError:
            data["organisation_id"] = -1
    else:
        data["organisation"] = {
            "name": form.get("organisation_name", "").strip(),
            "type": form.get("organisation_type", ""),
            "country": form.get("organisation_country", "").strip().upper(),
            "sectors": form.getlist("sectors"),
        }
    items = []
    for kind in (OpportunityKind.OFFER, OpportunityKind.REQUEST):
        title = form.get(f"{kind}_title", "").strip()
        if title:
            items.append(
                {
                    "kind": kind.value,
                    "title": title,
                    "description": form.get(f"{kind}_description", "").strip(),
                    "tags": form.getlist("interests"),
                }
            )
    return data, items


def _registration_limit() -> str:
    return str(current_app.config["RATELIMIT_REGISTRATION"])


@blp.route("/register", methods=["GET", "POST"])
@limiter.limit(_registration_limit, methods=["POST"])
def register(event_id: int) -> Any:
    event = _event(event_id)
    if not event.is_registration_open():
        raise Forbidden("Registration for this event is closed")
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.event_id == event.id).order_by(Organisation.name)
    ).all()
    context = {
        "event": event,
        "tags": _tags(event),
        "organisations": organisations,
        "organisation_types": ORGANISATION_TYPES,
        "form": request.form,
        "errors": {},
    }
    if request.method == "GET":
        return render_template("registration/register.html", **context)
    data, items = _registration_data(event)
    errors: dict[str, str] = {}
    try:
        loaded = RegistrationSchema().load(data)
    except ValidationError as exc:
        errors = flatten_errors(exc.messages)
    for index, item in enumerate(items):
        try:
            items[index] = OpportunitySchema().load(item)
        except ValidationError as exc:
            errors.update(flatten_errors(exc.messages, f"{item['kind']}."))
    if not errors:
        try:
            # The same answer whether or not the address is registered: a new one
            # registers (no sign-in here; the registration mail has a sign-in link), a
            # registered one gets an "already registered" mail and nothing is written.
            participant = register_or_remind(event, loaded)
            if participant is not None:
                for item in items:
                    add_opportunity(event, participant, item)
        except InvalidInput as exc:
            db.session.rollback()
            errors = flatten_errors(exc.errors)
    if errors:
        context["errors"] = errors
        return render_template("registration/register.html", **context), 422
    db.session.commit()
    return render_template(
        "registration/welcome.html",
        event=event,
        email=loaded["email"],
        # From the form alone (an organisation picked from the list waits for approval),
        # never from what was found: the page must not depend on the address.
        joins_organisation="organisation_id" in loaded,
        organisation_name=next(
            (o.name for o in organisations if o.id == loaded.get("organisation_id")), ""
        ),
    )


def _signed_in(event: Event) -> Participant:
    me: Participant | None = g.get("participant")
    if me is None and not event.can_manage(g.get("organiser")):
        raise Unauthorized(_("Sign in to see the marketplace."))
    if me is not None and me.event_id != event.id:
        raise Forbidden(_("You are registered for another event."))
    return me  # type: ignore[return-value]


@blp.get("/marketplace")
def marketplace(event_id: int) -> str:
    event = _event(event_id)
    me = _signed_in(event)
    args = request.args
    query = (
        select(Opportunity)
        .join(Participant, Participant.id == Opportunity.participant_id)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .where(Opportunity.event_id == event.id)
        .order_by(Opportunity.created_dt.desc(), Opportunity.id.desc())
    )
    if not event.can_manage(g.get("organiser")):
        query = query.where(or_(Participant.is_public.is_(True), Participant.id == me.id))
    kind = args.get("kind", "")
    if kind in {k.value for k in OpportunityKind}:
        query = query.where(Opportunity.kind == kind)
    if args.get("country"):
        query = query.where(Organisation.country == args["country"].strip().upper()[:2])
    if args.get("organisation_type"):
        query = query.where(Organisation.type == args["organisation_type"])
    if args.get("sector"):
        query = query.where(Organisation.tags.any(Tag.slug == args["sector"]))
    if args.get("tag"):
        query = query.where(Opportunity.tags.any(Tag.slug == args["tag"]))
    q = args.get("q", "").strip()[:100]
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Opportunity.title).like(pattern),
                func.lower(Opportunity.description).like(pattern),
                func.lower(Organisation.name).like(pattern),
            )
        )
    items = db.session.scalars(query.limit(PAGE_SIZE)).all()
    countries = db.session.scalars(
        select(Organisation.country)
        .where(Organisation.event_id == event.id)
        .distinct()
        .order_by(Organisation.country)
    ).all()
    template = (
        "registration/_results.html"
        if request.headers.get("HX-Request")
        else "registration/marketplace.html"
    )
    return render_template(
        template,
        event=event,
        me=me,
        items=items,
        tags=_tags(event),
        countries=countries,
        organisation_types=ORGANISATION_TYPES,
        kinds=OPPORTUNITY_KINDS,
        args=args,
    )


MAX_IMPORT_BYTES = 2_000_000


def _import_file() -> tuple[bytes, str] | None:
    """The uploaded file, or the one a preview carried forward (base64, with its name)."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        raw = upload.stream.read(MAX_IMPORT_BYTES + 1)
        filename = upload.filename
    else:
        try:
            raw = base64.b64decode(request.form.get("carried", ""), validate=True)
        except (binascii.Error, ValueError):
            return None
        filename = request.form.get("filename", "")[:200]
    if not raw.strip() or len(raw) > MAX_IMPORT_BYTES:
        return None
    return raw, filename


def _import_problems(errors: dict[str, Any]) -> list[tuple[str, str]]:
    """The import's refusal as (where, what) lines: the file, each row, unknown tags."""
    lines: list[tuple[str, str]] = []
    for message in errors.get("file", []):
        lines.append((_("File"), str(message)))
    for row in errors.get("rows", []):
        where = _("Row %(line)s", line=row.get("line"))
        for field_name, messages in row.get("errors", {}).items():
            lines.append((where, f"{field_name}: {' '.join(str(m) for m in messages)}"))
    for tag in errors.get("unknown_tags", []):
        rows = ", ".join(str(n) for n in tag.get("lines", []))
        lines.append((_("Unknown tag"), f"{tag.get('tag')} ({_('rows')} {rows})"))
    for key, value in errors.items():
        if key not in ("file", "rows", "unknown_tags"):
            lines.append((key, str(value)))
    return lines


@blp.route("/organise/import", methods=["GET", "POST"])
def import_page(event_id: int) -> Any:
    """Preview first (everything checked, nothing kept), then import all rows or none."""
    event = organised_event(event_id)
    if request.method == "GET":
        return render_template("registration/import.html", event=event, stage="upload")
    # Refuse a huge body before it is read (413); a carried preview is base64, a third more.
    request.max_content_length = 2 * MAX_IMPORT_BYTES
    found = _import_file()
    if found is None:
        problem = _("Choose a CSV or XLSX file of at most 2 MB.")
        return render_template(
            "registration/import.html", event=event, stage="upload", problem=problem
        ), 422
    raw, filename = found
    is_final = request.form.get("confirm") == "yes"
    create_tags = request.form.get("create_tags") == "yes"
    try:
        result = import_participants(event, raw, filename, create_tags=create_tags)
    except InvalidInput as exc:
        db.session.rollback()
        return render_template(
            "registration/import.html",
            event=event,
            stage="errors",
            problems=_import_problems(dict(exc.errors)),
            has_unknown_tags="unknown_tags" in exc.errors,
            message=str(exc),
        ), 422
    rows = [
        (p.full_name, p.email, p.organisation.name, p.organisation.country)
        for p, _token in result.created
    ]
    new_tags = [t.label for t in result.tags_created]
    if not is_final:
        db.session.rollback()
        return render_template(
            "registration/import.html",
            event=event,
            stage="preview",
            rows=rows,
            new_tags=new_tags,
            carried=base64.b64encode(raw).decode(),
            filename=filename,
            create_tags=create_tags,
        )
    db.session.commit()
    flash(_("%(n)d participants imported.", n=len(rows)))
    return redirect(url_for("organise.dashboard", event_id=event.id))


def pending_colleagues(me: Participant) -> list[Participant]:
    """Who joined my organisation and waits for approval (empty while I wait myself)."""
    if me.is_membership_pending:
        return []
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.organisation_id == me.organisation_id,
                Participant.membership == MembershipStatus.PENDING,
                Participant.id != me.id,
            )
            .order_by(Participant.created_dt, Participant.id)
            .limit(PAGE_SIZE)
        )
    )


def _profile_context(event: Event, me: Participant, errors: dict[str, str]) -> dict[str, Any]:
    own = db.session.scalars(
        select(Opportunity)
        .where(Opportunity.participant_id == me.id)
        .order_by(Opportunity.created_dt, Opportunity.id)
    ).all()
    return {
        "event": event,
        "me": me,
        "colleagues": pending_colleagues(me),
        "tags": _tags(event),
        "items": own,
        "kinds": OPPORTUNITY_KINDS,
        "errors": errors,
        "form": request.form if request.method == "POST" else None,
    }


@blp.route("/me/profile", methods=["GET", "POST"])
def profile(event_id: int) -> Any:
    """The rest of the profile, after registration: who I am, interests, visibility."""
    event, me = participant_of(event_id)
    if request.method == "GET":
        return render_template("registration/profile.html", **_profile_context(event, me, {}))
    form = request.form
    raw = {
        "first_name": form.get("first_name", "").strip(),
        "last_name": form.get("last_name", "").strip(),
        "role": form.get("role", "").strip(),
        "description": form.get("description", "").strip(),
        "interests": form.getlist("interests"),
        "is_public": form.get("is_public") == "yes",
    }
    errors: dict[str, str] = {}
    try:
        data = ParticipantPatchSchema(partial=True).load(raw)
        update_participant(me, data)
        db.session.commit()
    except ValidationError as exc:
        errors = flatten_errors(exc.messages)
    except InvalidInput as exc:
        db.session.rollback()
        errors = flatten_errors(exc.errors)
    if errors:
        return render_template(
            "registration/profile.html", **_profile_context(event, me, errors)
        ), 422
    flash(_("Your profile is saved."))
    return redirect(url_for("market.profile", event_id=event.id))


@blp.post("/me/opportunities")
def add_item(event_id: int) -> Any:
    event, me = participant_of(event_id)
    raw = {
        "kind": request.form.get("kind", ""),
        "title": request.form.get("title", "").strip(),
        "description": request.form.get("description", "").strip(),
        "tags": request.form.getlist("tags"),
    }
    errors: dict[str, str] = {}
    try:
        add_opportunity(event, me, OpportunitySchema().load(raw))
        db.session.commit()
    except ValidationError as exc:
        errors = flatten_errors(exc.messages, "item.")
    except InvalidInput as exc:
        db.session.rollback()
        errors = flatten_errors(exc.errors, "item.")
    if errors:
        return render_template(
            "registration/profile.html", **_profile_context(event, me, errors)
        ), 422
    flash(_("Published in the marketplace."))
    return redirect(url_for("market.profile", event_id=event.id))


@blp.post("/members/<int:participant_id>/approve")
def approve_member(event_id: int, participant_id: int) -> Response:
    """Approve someone who joined an existing organisation: the organiser, or an approved
    colleague of the same organisation (``approve_membership`` decides, as in the API)."""
    event = _event(event_id)
    member = db.session.get(Participant, participant_id)
    if member is None or member.event_id != event.id:
        raise NotFound("Participant not found")
    me: Participant | None = g.get("participant")
    if event.permits(g.get("organiser"), Permission.MANAGE):
        approve_membership(member, None)
        back = url_for("organise.dashboard", event_id=event.id, _anchor="pending")
    elif me is not None and me.event_id == event.id:
        approve_membership(member, me)
        back = url_for("market.profile", event_id=event.id, _anchor="colleagues")
    elif me is None and g.get("organiser") is None:
        raise Unauthorized(_("Sign in to approve a member."))
    else:
        raise Forbidden(_("Only the event's organisers or an approved colleague may approve."))
    db.session.commit()
    flash(
        _(
            "%(name)s is now a member of %(organisation)s.",
            name=member.full_name,
            organisation=member.organisation.name,
        )
    )
    return redirect(back)
