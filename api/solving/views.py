"""Organiser web pages: the event's dashboard (registrations, requests, meetings) and
solving (start a meetings or agenda job, watch its progress, cancel it)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from api.exceptions import ClustermeetError
from api.extensions import db
from api.models import (
    Job,
    Meeting,
    MeetingRequest,
    MeetingTable,
    Organisation,
    Participant,
    ScheduleVersion,
)
from api.models.enums import JobStatus, MeetingStatus, MembershipStatus, OrganisationType
from api.programme.operations import create_tables
from api.solving.operations import cancel_job, get_job, start_job
from api.solving.schemas import JobCreateSchema
from api.web_session import load_session_principal, organised_event, protect_response

blp = Blueprint(
    "organise", __name__, url_prefix="/events/<int:event_id>/organise", template_folder="templates"
)
blp.before_request(load_session_principal)
blp.after_request(protect_response)

SHOWN_ROWS = 200
FINISHED = {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}


def _registrations(event_id: int, args: Any) -> tuple[list[Participant], int]:
    query = (
        select(Participant)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .where(Participant.event_id == event_id)
    )
    if args.get("country"):
        query = query.where(Organisation.country == args["country"].strip().upper()[:2])
    if args.get("organisation_type"):
        query = query.where(Organisation.type == args["organisation_type"])
    if args.get("attendance"):
        query = query.where(Participant.attendance == args["attendance"])
    q = args.get("q", "").strip()[:100].lower()
    if q:
        pattern = f"%{q}%"
        query = query.where(
            or_(
                func.lower(Participant.first_name + " " + Participant.last_name).like(pattern),
                func.lower(Participant.email).like(pattern),
                func.lower(Organisation.name).like(pattern),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Participant.last_name, Participant.id).limit(SHOWN_ROWS)
    ).all()
    return list(rows), total


@blp.get("")
def dashboard(event_id: int) -> str:
    event = organised_event(event_id)
    participants, total = _registrations(event.id, request.args)
    request_counts = dict(
        db.session.execute(
            select(MeetingRequest.status, func.count())
            .where(MeetingRequest.event_id == event.id)
            .group_by(MeetingRequest.status)
        ).all()
    )
    meetings = (
        db.session.scalar(
            select(func.count()).where(
                Meeting.event_id == event.id, Meeting.status != MeetingStatus.CANCELLED
            )
        )
        or 0
    )
    jobs = db.session.scalars(
        select(Job).where(Job.event_id == event.id).order_by(Job.id.desc()).limit(10)
    ).all()
    versions = db.session.scalars(
        select(ScheduleVersion)
        .where(ScheduleVersion.event_id == event.id)
        .order_by(ScheduleVersion.id.desc())
        .limit(10)
    ).all()
    countries = db.session.scalars(
        select(Organisation.country)
        .where(Organisation.event_id == event.id)
        .distinct()
        .order_by(Organisation.country)
    ).all()
    tables = db.session.scalar(select(func.count()).where(MeetingTable.event_id == event.id)) or 0
    pending = db.session.scalars(
        select(Participant)
        .where(
            Participant.event_id == event.id,
            Participant.membership == MembershipStatus.PENDING,
        )
        .order_by(Participant.created_dt, Participant.id)
        .limit(SHOWN_ROWS)
    ).all()
    return render_template(
        "organise/dashboard.html",
        pending=pending,
        tables=tables,
        event=event,
        participants=participants,
        total=total,
        request_counts=request_counts,
        meetings=meetings,
        jobs=jobs,
        versions=versions,
        countries=countries,
        organisation_types=[t.value for t in OrganisationType],
        args=request.args,
    )


@blp.post("/jobs")
def start(event_id: int) -> Response:
    event = organised_event(event_id)
    raw: dict[str, Any] = {"kind": request.form.get("kind", ""), "params": {}}
    if request.form.get("time_limit"):
        raw["params"]["time_limit"] = request.form["time_limit"]
    try:
        data = JobCreateSchema().load(raw)
        job, created = start_job(event, data["kind"], data["params"])
    except ValidationError as exc:
        flash(_("The job was not started: %(reason)s", reason=str(exc.messages)), "error")
        return redirect(url_for("organise.dashboard", event_id=event.id))
    except ClustermeetError as exc:
        db.session.rollback()
        flash(_("The job was not started: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("organise.dashboard", event_id=event.id))
    if not created:
        flash(_("A job of this kind is already running: here it is."))
    return redirect(url_for("organise.job_page", event_id=event.id, job_id=job.id))


@blp.get("/jobs/<int:job_id>")
def job_page(event_id: int, job_id: int) -> str:
    event = organised_event(event_id)
    job = get_job(event, job_id)
    template = "organise/_job.html" if request.headers.get("HX-Request") else "organise/job.html"
    return render_template(template, event=event, job=job, is_finished=job.status in FINISHED)


@blp.post("/jobs/<int:job_id>/cancel")
def cancel(event_id: int, job_id: int) -> Response:
    event = organised_event(event_id)
    try:
        cancel_job(get_job(event, job_id))
        db.session.commit()
        flash(_("Cancelling: the solver stops within a second or two."))
    except ClustermeetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("organise.job_page", event_id=event.id, job_id=job_id))


MAX_NEW_TABLES = 1000


@blp.post("/tables")
def add_tables(event_id: int) -> Response:
    event = organised_event(event_id)
    count = request.form.get("count", type=int)
    if count is None or not 1 <= count <= MAX_NEW_TABLES:
        flash(_("Give a number of tables from 1 to %(n)d.", n=MAX_NEW_TABLES), "error")
        return redirect(url_for("organise.dashboard", event_id=event.id))
    existing = db.session.scalar(select(func.count()).where(MeetingTable.event_id == event.id))
    try:
        create_tables(event, count, "T", (existing or 0) + 1)
        db.session.commit()
    except ClustermeetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("organise.dashboard", event_id=event.id))
    flash(_("%(n)d tables added.", n=count))
    return redirect(url_for("organise.dashboard", event_id=event.id))
