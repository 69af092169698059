"""One function per notification: gather what the mail says, then ``notify_participant``.

Callers are the operations that make the change (registration, requests, publishing,
cancelling) and the periodic commands (reminders, expiring requests); all of them run
inside the change's transaction, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext
from sqlalchemy import select

from api.accounts.sign_in import INVITATION_LIFETIME, issue_link_token, link_lifetime
from api.extensions import db
from api.http.links import public_url
from api.models import (
    Event,
    EventMember,
    Meeting,
    MeetingPlacement,
    MeetingRequest,
    MeetingTable,
    Organiser,
    OutgoingMail,
    Participant,
    ScheduleVersion,
)
from api.models.event_members import MemberRole
from api.notifications.compose import Attachment, notify_organiser, notify_participant
from api.notifications.kinds import NotificationKind

ROLE_LABELS = {
    MemberRole.OWNER: lazy_gettext("owner"),
    MemberRole.MANAGER: lazy_gettext("manager"),
    MemberRole.VIEWER: lazy_gettext("viewer"),
    MemberRole.CHECKIN: lazy_gettext("check-in desk"),
}


def zone_of(participant: Participant, event: Event) -> ZoneInfo:
    return ZoneInfo(participant.timezone or event.timezone)


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    assert event is not None
    return event


def sign_in_url(participant: Participant) -> str:
    return public_url(f"/sign-in/{issue_link_token(participant=participant)}")


def feed_url(participant: Participant) -> str:
    from api.accounts.feeds import participant_feed, reveal

    secret = reveal(participant_feed(participant))
    return public_url(f"/feeds/{secret}/agenda.ics")


def send_sign_in_link(
    participant: Participant, *, kind: NotificationKind = NotificationKind.SIGN_IN
) -> OutgoingMail | None:
    event = _event(participant.event_id)
    minutes = int(link_lifetime().total_seconds() // 60)
    return notify_participant(
        participant,
        event,
        kind,
        {"sign_in_url": sign_in_url(participant), "expires_minutes": minutes},
    )


def registration_confirmation(participant: Participant) -> OutgoingMail | None:
    return send_sign_in_link(participant, kind=NotificationKind.REGISTRATION)


def already_registered(participant: Participant) -> OutgoingMail | None:
    """Someone registered again with this address: a sign-in link instead of a new account."""
    return send_sign_in_link(participant, kind=NotificationKind.ALREADY_REGISTERED)


# The partner of a meeting whose other side was erased (GDPR): no name to give.
_LEFT = {
    "other_name": lazy_gettext("a participant who left"),
    "other_organisation": lazy_gettext("their data was deleted"),
}


def _other(person: Participant) -> dict[str, str]:
    return {"other_name": person.full_name, "other_organisation": person.organisation.name}


def request_received(request: MeetingRequest) -> OutgoingMail | None:
    event = _event(request.event_id)
    invitee = request.invitee
    expires = request.expires_dt.astimezone(zone_of(invitee, event)) if request.expires_dt else None
    return notify_participant(
        invitee,
        event,
        NotificationKind.REQUEST_RECEIVED,
        {
            **_other(request.requester),
            "message": request.message,
            "expires_dt": expires,
            "answer_url": None,
        },
    )


def request_answered(request: MeetingRequest) -> OutgoingMail | None:
    event = _event(request.event_id)
    return notify_participant(
        request.requester,
        event,
        NotificationKind.REQUEST_ANSWERED,
        {
            **_other(request.invitee),
            "accepted": request.status == "accepted",
            "answer_message": request.answer_message,
        },
    )


def expiring_requests(event: Event, now: datetime, within: timedelta) -> int:
    """Tell invitees about pending requests that expire within ``within``; each request
    is mentioned once. Returns how many mails were written."""
    pending = db.session.scalars(
        select(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status == "pending",
            MeetingRequest.expires_dt.is_not(None),
            MeetingRequest.expires_dt > now,
            MeetingRequest.expires_dt <= now + within,
        )
        .order_by(MeetingRequest.expires_dt)
    )
    by_invitee: dict[int, list[MeetingRequest]] = defaultdict(list)
    for request in pending:
        by_invitee[request.invitee_id].append(request)
    written = 0
    for invitee_id, requests in by_invitee.items():
        told = _already_told_about(invitee_id)
        fresh = [r for r in requests if r.id not in told][:15]
        if not fresh:
            continue
        invitee = fresh[0].invitee
        zone = zone_of(invitee, event)
        items = [
            {**_other(r.requester), "expires_dt": r.expires_dt.astimezone(zone)}  # type: ignore[union-attr]
            for r in fresh
        ]
        key = f"request-expiring:p{invitee_id}:" + ".".join(str(r.id) for r in fresh)
        if notify_participant(
            invitee, event, NotificationKind.REQUEST_EXPIRING, {"requests": items}, dedupe_key=key
        ):
            written += 1
    return written


def _already_told_about(participant_id: int) -> set[int]:
    prefix = f"request-expiring:p{participant_id}:"
    keys = db.session.scalars(
        select(OutgoingMail.dedupe_key).where(OutgoingMail.dedupe_key.startswith(prefix))
    )
    return {int(i) for key in keys if key for i in key.removeprefix(prefix).split(".") if i}


def agenda_items(
    event: Event, participant: Participant, schedule: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The participant's published agenda, for a mail: local times, who or what, where
    (``schedule``: their personal schedule, when the caller has it already)."""
    from api.schedules.read_models import personal_schedule

    if schedule is None:
        schedule = personal_schedule(event, participant)
    zone = ZoneInfo(schedule["timezone"])
    items = []
    for item in schedule["items"]:
        partner = item.get("partner")
        title = f"{partner['name']}, {partner['organisation']}" if partner else item["title"]
        items.append(
            {
                "start_dt": item["start_dt"].astimezone(zone),
                "end_dt": item["end_dt"].astimezone(zone),
                "title": title,
                "place": item.get("where") or "",
            }
        )
    return sorted(items, key=lambda i: i["start_dt"])


@dataclass(frozen=True)
class CalendarStamp:
    """What every participant's calendar of one event shares: the published versions'
    numbers (iCalendar SEQUENCE) and the time of the last publication (DTSTAMP)."""

    sequences: dict[str, int]
    stamp: datetime


def calendar_stamp(event: Event) -> CalendarStamp:
    from api.schedules.operations import published_version

    versions = {kind: published_version(event, kind) for kind in ("meetings", "agenda")}
    sequences = {
        "meeting": versions["meetings"].number if versions["meetings"] else 0,
        "session": versions["agenda"].number if versions["agenda"] else 0,
    }
    published = [v.published_dt for v in versions.values() if v and v.published_dt]
    return CalendarStamp(sequences, max(published) if published else event.created_dt)


def agenda_attachment(
    event: Event, schedule: dict[str, Any], stamp: CalendarStamp | None = None
) -> Attachment:
    """The participant's ``schedule`` (``personal_schedule``) as an iCalendar file."""
    from api.outputs.ical import personal_calendar

    stamp = stamp or calendar_stamp(event)
    body = personal_calendar(
        schedule,
        event_name=event.name,
        event_slug=event.slug,
        sequences=stamp.sequences,
        stamp=stamp.stamp,
    )
    return Attachment("agenda.ics", "text/calendar", body)


def _first_publication(version: ScheduleVersion) -> bool:
    return not db.session.scalar(
        select(ScheduleVersion.id).where(
            ScheduleVersion.event_id == version.event_id,
            ScheduleVersion.kind == version.kind,
            ScheduleVersion.id != version.id,
            ScheduleVersion.published_dt.is_not(None),
        )
    )


def _previous_published(version: ScheduleVersion) -> ScheduleVersion | None:
    return db.session.scalar(
        select(ScheduleVersion)
        .where(
            ScheduleVersion.event_id == version.event_id,
            ScheduleVersion.kind == version.kind,
            ScheduleVersion.id != version.id,
            ScheduleVersion.published_dt.is_not(None),
        )
        .order_by(ScheduleVersion.published_dt.desc(), ScheduleVersion.id.desc())
        .limit(1)
    )


def _send_agenda(
    event: Event,
    participant: Participant,
    version: ScheduleVersion,
    stamp: CalendarStamp | None = None,
    schedule: dict[str, Any] | None = None,
) -> bool:
    from api.schedules.read_models import personal_schedule

    if schedule is None:
        schedule = personal_schedule(event, participant)
    items = agenda_items(event, participant, schedule)
    if not items:
        return False
    mail = notify_participant(
        participant,
        event,
        NotificationKind.SCHEDULE_PUBLISHED,
        {"items": items, "feed_url": feed_url(participant)},
        attachments=[agenda_attachment(event, schedule, stamp)],
        dedupe_key=f"published:v{version.id}:p{participant.id}",
    )
    return mail is not None


def schedule_published(event: Event, version: ScheduleVersion) -> int:
    """After a publish: everyone's agenda the first time; later, only what changed
    (new meetings or sessions: the agenda again; moved or dropped meetings: one mail
    each). Returns how many mails were written."""
    people = list(db.session.scalars(select(Participant).where(Participant.event_id == event.id)))
    if _first_publication(version):
        from api.schedules.read_models import personal_schedules

        stamp = calendar_stamp(event)
        schedules = personal_schedules(event, people)
        return sum(_send_agenda(event, p, version, stamp, schedules[p.id]) for p in people)
    diff = version.diff or {}
    written = 0
    if version.kind == "meetings":
        previous = _previous_published(version)
        touched: set[int] = set()
        for meeting_id in diff.get("new", []):
            meeting = db.session.get(Meeting, meeting_id)
            if meeting is not None:
                touched |= {
                    pid for pid in (meeting.participant_a_id, meeting.participant_b_id) if pid
                }
        for participant in people:
            if participant.id in touched:
                written += _send_agenda(event, participant, version)
        for meeting_id in diff.get("moved", []):
            written += _meeting_changed(event, meeting_id, version, previous, cancelled=False)
        for meeting_id in diff.get("cancelled", []):
            written += _meeting_changed(event, meeting_id, version, previous, cancelled=True)
        return written
    # A new agenda version: the attendees and speakers of new or moved sessions.
    from api.models import SessionSpeaker, SignUp

    changed = set(diff.get("new", [])) | set(diff.get("moved", []))
    if not changed:
        return 0
    attendees = set(
        db.session.scalars(select(SignUp.participant_id).where(SignUp.session_id.in_(changed)))
    ) | set(
        db.session.scalars(
            select(SessionSpeaker.participant_id).where(SessionSpeaker.session_id.in_(changed))
        )
    )
    for participant in people:
        if participant.id in attendees:
            written += _send_agenda(event, participant, version)
    return written


def _placement(
    version: ScheduleVersion | None, meeting_id: int
) -> tuple[MeetingPlacement, str] | None:
    if version is None:
        return None
    row = db.session.execute(
        select(MeetingPlacement, MeetingTable.name)
        .outerjoin(MeetingTable, MeetingTable.id == MeetingPlacement.table_id)
        .where(MeetingPlacement.version_id == version.id, MeetingPlacement.meeting_id == meeting_id)
    ).first()
    if row is None:
        return None
    placement, table = row
    return placement, table or placement.online_url or "online"


def _meeting_changed(
    event: Event,
    meeting_id: int,
    version: ScheduleVersion | None,
    previous: ScheduleVersion | None,
    *,
    cancelled: bool,
) -> int:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return 0
    now = _placement(version, meeting_id) if not cancelled else None
    before = _placement(previous, meeting_id)
    if (cancelled and before is None) or (not cancelled and now is None):
        return 0
    written = 0
    for me, other in (
        (meeting.participant_a, meeting.participant_b),
        (meeting.participant_b, meeting.participant_a),
    ):
        if me is None:  # erased: nobody to tell
            continue
        zone = zone_of(me, event)
        context: dict[str, Any] = {
            **(_other(other) if other is not None else _LEFT),
            "cancelled": cancelled,
            "old_start_dt": before[0].start_dt.astimezone(zone) if before else None,
            "start_dt": now[0].start_dt.astimezone(zone) if now else None,
            "end_dt": now[0].end_dt.astimezone(zone) if now else None,
            "place": now[1] if now else "",
            "feed_url": feed_url(me),
        }
        tag = "cancelled" if cancelled else f"v{version.id if version else 0}"
        if notify_participant(
            me,
            event,
            NotificationKind.MEETING_CHANGED,
            context,
            dedupe_key=f"meeting-changed:m{meeting.id}:{tag}:p{me.id}",
        ):
            written += 1
    return written


def meeting_cancelled(event: Event, meeting: Meeting) -> int:
    """A published meeting cancelled on the day: both sides hear of it."""
    from api.schedules.operations import published_version

    version = published_version(event, "meetings")
    return _meeting_changed(event, meeting.id, None, version, cancelled=True)


def reminders(now: datetime) -> int:
    """The day-before mail: each participant's agenda for tomorrow (in their zone),
    once per day. Returns how many mails were written."""
    written = 0
    horizon = (now + timedelta(days=2)).date()
    events = db.session.scalars(
        select(Event).where(
            Event.start_date <= horizon, Event.end_date >= (now - timedelta(days=1)).date()
        )
    )
    for event in events:
        for participant in db.session.scalars(
            select(Participant).where(Participant.event_id == event.id)
        ):
            tomorrow: date = (
                now.astimezone(zone_of(participant, event)) + timedelta(days=1)
            ).date()
            items = [
                i for i in agenda_items(event, participant) if i["start_dt"].date() == tomorrow
            ]
            if not items:
                continue
            if notify_participant(
                participant,
                event,
                NotificationKind.REMINDER,
                {"day": tomorrow, "items": items, "feed_url": feed_url(participant)},
                dedupe_key=f"reminder:p{participant.id}:{tomorrow.isoformat()}",
            ):
                written += 1
    return written


def member_invited(member: EventMember, inviter: Organiser, *, is_new: bool) -> OutgoingMail | None:
    event = _event(member.event_id)
    person = db.session.get(Organiser, member.organiser_id)
    assert person is not None
    key_url = None
    if is_new:
        token = issue_link_token(organiser=person, lifetime=INVITATION_LIFETIME)
        key_url = public_url(f"/accounts/first-key/{token}")
    return notify_organiser(
        person,
        event,
        NotificationKind.MEMBER_INVITED,
        {
            "inviter_name": inviter.name,
            "role_label": ROLE_LABELS[MemberRole(member.role)],
            "key_url": key_url,
            "expires_hours": int(INVITATION_LIFETIME.total_seconds() // 3600),
        },
    )
