"""Building the demo event in the database through the same services the API uses."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from api.accounts.auth import create_organiser
from api.accounts.participant_sessions import open_session
from api.demo.programme import (
    EXHIBITOR_BOOTHS,
    MEETING_BLOCKS,
    ROOMS,
    SESSIONS,
    TABLE_COUNT,
)
from api.events.operations import create_event
from api.events.schemas import EventSchema
from api.extensions import db
from api.models import (
    AvailabilityWindow,
    Event,
    Meeting,
    MeetingTable,
    Opportunity,
    Participant,
    Room,
    Session,
    SessionSpeaker,
    SignUp,
    Tag,
)
from api.models.enums import Attendance
from api.registration.operations import register_participant
from api.registration.schemas.participants import RegistrationSchema
from benchkit.matching.synthetic import Population, generate_population

DEMO_SLUG = "clusters-meet-regions-demo"
DEMO_TIMEZONE = "Europe/Madrid"
DEMO_START = date(2027, 3, 10)
# Participants from far away follow the event online in their own time zone.
# The generator counts employees; the API uses the EU size classes.
SIZE_CLASSES = {"1-9": "micro", "10-49": "small", "50-249": "medium", "250+": "large"}
REMOTE_ZONES = {
    "TW": "Asia/Taipei",
    "JP": "Asia/Tokyo",
    "CA": "America/Toronto",
    "TN": "Africa/Tunis",
    "MA": "Africa/Casablanca",
}


@dataclass
class DemoEvent:
    event: Event
    organiser_key: str
    population: Population
    participant_ids: dict[str, int] = field(default_factory=dict)


def build_demo_event(n_participants: int, seed: int) -> DemoEvent:
    """Create the whole event in the current transaction; the caller commits."""
    rng = random.Random(seed)
    remove_demo_event()
    organiser, key = create_organiser("Clusters meet Regions team")
    db.session.flush()
    event = create_event(organiser, EventSchema().load(_event_payload()))
    population = generate_population(n_participants, seed)
    demo = DemoEvent(event=event, organiser_key=key, population=population)
    tags = _add_taxonomy(event, population)
    _register_population(demo, tags, rng)
    _add_tables(demo, rng)
    _add_programme(demo, rng)
    db.session.flush()
    return demo


def remove_demo_event() -> None:
    existing = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    if existing is not None:
        event_id = existing.id
        db.session.delete(existing)
        db.session.flush()
        # The database cascades the delete to the event's rows; forget the copies this
        # session still holds, or SQLite's reused ids would collide with them.
        for obj in list(db.session.identity_map.values()):
            if getattr(obj, "event_id", None) == event_id:
                db.session.expunge(obj)


def _event_payload() -> dict[str, Any]:
    days = [DEMO_START, DEMO_START + timedelta(days=1)]
    return {
        "slug": DEMO_SLUG,
        "name": "Clusters meet Regions: Basque Country 2027",
        "kind": "hybrid",
        "venue": "Euskalduna Conference Centre, Bilbao",
        "description": (
            "Two days of cluster policy, parallel sessions and B2B matchmaking for cluster "
            "organisations, SMEs, research and regional authorities."
        ),
        "timezone": DEMO_TIMEZONE,
        "start_date": days[0].isoformat(),
        "end_date": days[1].isoformat(),
        "meeting_settings": {
            "meeting_length_min": 20,
            "blocks": [
                {"day": days[day].isoformat(), "start": start, "end": end}
                for day, start, end in MEETING_BLOCKS
            ],
            "max_meetings_per_participant": 12,
            "max_open_requests": 15,
            "request_expiry_hours": 72,
            "is_online_allowed": True,
            "fairness": 2,
        },
        "rules": {"cross_border_only": False},
    }


def _add_taxonomy(event: Event, population: Population) -> dict[str, Tag]:
    tags = {}
    for item in population.taxonomy.tags:
        tag = Tag(event_id=event.id, slug=item.slug, label=item.label, kind=item.group)
        db.session.add(tag)
        tags[item.slug] = tag
    db.session.flush()
    return tags


def _register_population(demo: DemoEvent, tags: dict[str, Tag], rng: random.Random) -> None:
    organisations = {org.organisation_id: org for org in demo.population.organisations}
    used_emails: set[str] = set()
    for person in demo.population.participants:
        org = organisations[person.organisation_id]
        email = person.email
        while email in used_emails:
            local, _, domain = email.partition("@")
            email = f"{local}{rng.randint(2, 99)}@{domain}"
        used_emails.add(email)
        remote_zone = REMOTE_ZONES.get(org.country)
        online = remote_zone is not None or rng.random() < 0.06
        registration = RegistrationSchema().load(
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": email,
                "consent": True,
                "role": person.role,
                "attendance": Attendance.ONLINE if online else Attendance.ON_SITE,
                "timezone": remote_zone,
                "languages": ["en"],
                "description": person.profile.description,
                "interests": list(person.profile.interests),
                "organisation": {
                    "name": org.name,
                    "type": str(org.organisation_type),
                    "country": org.country,
                    "region": org.region,
                    "size": SIZE_CLASSES[org.size],
                    "website": org.website,
                    "sectors": list(org.sectors),
                },
            }
        )
        if registration["timezone"] is None:
            del registration["timezone"]
        else:
            # Far-away participants join early or late in their day: 08:00-20:00 theirs.
            registration["working_hours_start"] = time(8)
            registration["working_hours_end"] = time(20)
        participant, _token = register_participant(demo.event, registration, by_organiser=True)
        for item in person.profile.opportunities:
            db.session.add(
                Opportunity(
                    event_id=demo.event.id,
                    participant=participant,
                    kind=str(item.kind),
                    title=item.title,
                    description=item.description,
                    tags=[tags[slug] for slug in item.tags if slug in tags],
                )
            )
        if remote_zone is not None:
            participant.availability = _daytime_windows(demo.event, remote_zone)
        demo.participant_ids[person.participant_id] = participant.id


def _daytime_windows(event: Event, zone_name: str) -> list[AvailabilityWindow]:
    """08:00-20:00 in the participant's own zone, on each event day."""
    zone = ZoneInfo(zone_name)
    windows = []
    day = event.start_date - timedelta(days=1)
    while day <= event.end_date + timedelta(days=1):
        start = datetime.combine(day, time(8), tzinfo=zone)
        windows.append(AvailabilityWindow(start_dt=start, end_dt=start + timedelta(hours=12)))
        day += timedelta(days=1)
    return windows


def _participants(demo: DemoEvent) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.event_id == demo.event.id)
            .order_by(Participant.id)
        )
    )


def _add_tables(demo: DemoEvent, rng: random.Random) -> None:
    exhibitors = [
        p
        for p in _participants(demo)
        if p.attendance == Attendance.ON_SITE and p.organisation.type in ("sme", "large_company")
    ]
    booths = rng.sample(exhibitors, min(EXHIBITOR_BOOTHS, len(exhibitors)))
    for number in range(1, TABLE_COUNT + 1):
        owner = booths[number - 1] if number <= len(booths) else None
        name = f"Booth {number}: {owner.organisation.name}" if owner else f"Table {number}"
        db.session.add(
            MeetingTable(
                event_id=demo.event.id, name=name, reserved_for_id=owner.id if owner else None
            )
        )


def _add_programme(demo: DemoEvent, rng: random.Random) -> None:
    event = demo.event
    rooms = {}
    for name, capacity, features in ROOMS:
        room = Room(event_id=event.id, name=name, capacity=capacity, features=list(features))
        db.session.add(room)
        rooms[name] = room
    db.session.flush()
    people = [p for p in _participants(demo) if p.attendance == Attendance.ON_SITE]
    speaker_pool = [
        p
        for p in people
        if p.organisation.type
        in ("cluster_organisation", "research", "university", "public_authority", "investor")
    ]
    rng.shuffle(speaker_pool)
    zone = ZoneInfo(event.timezone)
    sessions = []
    for item in SESSIONS:
        session = Session(
            event_id=event.id,
            title=item.title,
            kind=item.kind,
            theme=item.theme,
            length_min=item.length_min,
            required_features=list(item.features),
        )
        if item.pinned_room and item.pinned_start:
            day_index, clock = item.pinned_start.split()
            day = event.start_date + timedelta(days=int(day_index))
            session.room = rooms[item.pinned_room]
            session.start_dt = datetime.combine(day, time.fromisoformat(clock), tzinfo=zone)
            session.is_pinned = True
        roles = ["speaker"] * item.speakers + (["moderator"] if item.moderated else [])
        for role in roles:
            person = speaker_pool.pop() if speaker_pool else None
            session.speakers.append(
                SessionSpeaker(
                    participant_id=person.id if person else None,
                    name=person.full_name if person else "Invited speaker",
                    role=role,
                )
            )
        db.session.add(session)
        sessions.append(session)
    db.session.flush()
    _add_signups(people, sessions, rng)


def _add_signups(people: list[Participant], sessions: list[Session], rng: random.Random) -> None:
    """Everyone attends the plenaries; each picks 1-3 parallel sessions by interest."""
    plenaries = [s for s in sessions if s.kind in ("plenary", "keynote")]
    others = [s for s in sessions if s not in plenaries]
    for person in people:
        interests = {tag.slug for tag in person.interests}
        chosen = set(rng.sample(plenaries, k=min(len(plenaries), rng.randint(1, 3))))
        liked = [s for s in others if s.theme in interests]
        rest = [s for s in others if s.theme not in interests]
        count = rng.randint(1, 3)
        picks = rng.sample(liked, min(count, len(liked)))
        picks += rng.sample(rest, max(0, min(count - len(picks), len(rest), 1)))
        chosen.update(picks)
        for session in chosen:
            kind = "attend" if rng.random() < 0.85 else "interest"
            db.session.add(SignUp(session_id=session.id, participant_id=person.id, kind=kind))


def demo_participant_sign_in(event: Event) -> tuple[Participant, str]:
    """A fresh access token for the demo participant with the most meetings, so a person
    can sign in to the web pages as them (the demo keeps no token of registration)."""
    busiest = db.session.scalar(
        select(Participant)
        .join(
            Meeting,
            or_(
                Meeting.participant_a_id == Participant.id,
                Meeting.participant_b_id == Participant.id,
            ),
        )
        .where(Participant.event_id == event.id)
        .group_by(Participant.id)
        .order_by(func.count(Meeting.id).desc(), Participant.id)
        .limit(1)
    ) or db.session.scalar(select(Participant).where(Participant.event_id == event.id).limit(1))
    assert busiest is not None, "the demo event has participants"
    _session, token = open_session(busiest, "demo")
    db.session.flush()
    return busiest, token
