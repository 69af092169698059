"""The kinds of event clustermeet is for, each built and run like an organiser would.

``clustermeet demo --scenario NAME`` builds one of these through the same operations the
API calls (event settings, registration, rooms, sessions, sign-ups, tables, requests,
jobs, publishing) and then checks what the organiser checks (``api.demo.checks``).
Sizes follow the real events; ``--participants`` scales a scenario down for tests.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from api.accounts.auth import create_organiser
from api.demo.build import SIZE_CLASSES
from api.demo.checks import EventCheck, check_event
from api.demo.simulate import simulate_requests
from api.demo.solve import run_and_publish
from api.events.operations import create_event
from api.events.schemas import EventSchema
from api.extensions import db
from api.models import Event, Opportunity, Participant, Session, Tag
from api.models.enums import Attendance, JobKind
from api.programme.operations import save_room, save_session, save_table, sign_up
from api.registration.operations import register_participant
from api.registration.schemas.participants import RegistrationSchema
from matchmaking.synthetic import Population, generate_population

START = date(2027, 6, 8)
EU_MIX = ("DE", "FR", "IT", "ES", "NL", "BE", "PL", "AT", "SE", "PT", "CZ", "DK", "FI", "IE")


@dataclass(frozen=True)
class SessionSpec:
    title: str
    kind: str
    length_min: int
    theme: str = ""
    speakers: int = 1
    moderated: bool = False
    day: int | None = None
    start: str | None = None  # pinned local start "HH:MM" on ``day``
    run_by_community: bool = False


@dataclass(frozen=True)
class Cohort:
    """A share of the participants: where they come from and how they attend."""

    share: float
    countries: Sequence[str]
    online: float = 0.0
    timezone: str | None = None
    working_hours: tuple[str, str] | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    kind: str
    timezone: str
    venue: str
    days: int
    participants: int
    cohorts: tuple[Cohort, ...]
    blocks: tuple[tuple[int, str, str], ...] = ()
    meeting_length_min: int = 30
    tables: int = 0
    booths: int = 0
    rooms: tuple[tuple[str, int], ...] = ()
    sessions: tuple[SessionSpec, ...] = ()
    programme: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, Any] = field(default_factory=dict)
    online_policy: str = "either_online"
    matchmaking: bool = True
    everyone_attends_all: bool = False
    description: str = ""


_THEMES = (
    "green-transition",
    "digital-transition",
    "resilience",
    "skills",
    "funding",
    "internationalisation",
)


def _parallel(themes: Sequence[str], per_theme: int, length: int) -> tuple[SessionSpec, ...]:
    return tuple(
        SessionSpec(
            f"{theme.replace('-', ' ').capitalize()}: session {n + 1}",
            "parallel",
            length,
            theme=theme,
            speakers=2,
            moderated=True,
        )
        for theme in themes
        for n in range(per_theme)
    )


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            name="cluster-conference",
            title="European Cluster Conference",
            kind="conference",
            timezone="Europe/Brussels",
            venue="Square, Brussels",
            days=2,
            participants=700,
            cohorts=(Cohort(0.95, EU_MIX, online=0.0), Cohort(0.05, ("NO", "UA", "TR"))),
            blocks=((0, "14:00", "17:30"), (1, "09:00", "12:30")),
            tables=60,
            booths=70,
            rooms=(("Plenary", 800), ("Room A", 160), ("Room B", 160), ("Room C", 120)),
            sessions=(
                SessionSpec("Opening plenary", "plenary", 60, speakers=3, day=0, start="09:00"),
                SessionSpec("Keynote: clusters and competitiveness", "keynote", 30),
                *_parallel(_THEMES, 2, 60),
                *(
                    SessionSpec(f"Technology workshop {n + 1}", "workshop", 60, "technology", 2)
                    for n in range(7)
                ),
                SessionSpec("Closing plenary", "plenary", 45, speakers=2),
            ),
            description="700 participants, ~800 meetings, 56 speakers, ~70 stands, parallel "
            "sessions on six themes.",
        ),
        Scenario(
            name="industry-days",
            title="EU Industry Days (hybrid)",
            kind="hybrid",
            timezone="Europe/Brussels",
            venue="The Egg, Brussels",
            days=2,
            participants=1200,
            cohorts=(Cohort(1.0, EU_MIX, online=0.35),),
            blocks=((0, "13:00", "17:00"), (1, "09:00", "12:00")),
            tables=80,
            rooms=(
                ("Main stage", 1200),
                ("Fireside", 200),
                ("Room 1", 150),
                ("Room 2", 150),
                ("Community corner", 80),
            ),
            sessions=(
                SessionSpec("Opening plenary", "plenary", 60, speakers=3, day=0, start="09:00"),
                SessionSpec("Closing plenary", "plenary", 45, speakers=2),
                *(SessionSpec(f"Fireside chat {n + 1}", "panel", 45, speakers=2) for n in range(5)),
                *_parallel(_THEMES, 4, 45),
                *(
                    SessionSpec(
                        f"Community session {n + 1}",
                        "workshop",
                        60,
                        speakers=1,
                        run_by_community=True,
                    )
                    for n in range(8)
                ),
            ),
            description="1,200 participants, part online, 39 sessions: plenaries, fireside "
            "chats, parallel sessions, sessions run by the community.",
        ),
        Scenario(
            name="clusters-meet-regions",
            title="Clusters meet Regions",
            kind="matchmaking",
            timezone="Europe/Madrid",
            venue="Euskalduna, Bilbao (regional hosts: Basque Government)",
            days=2,
            participants=300,
            cohorts=(Cohort(0.4, ("ES",)), Cohort(0.6, EU_MIX)),
            blocks=((0, "14:00", "18:00"), (1, "09:00", "13:00"), (1, "14:00", "17:00")),
            tables=30,
            rooms=(("Auditorium", 400), ("Room 1", 80), ("Room 2", 80), ("Coach bay", 100)),
            sessions=(
                SessionSpec("Welcome by the regional hosts", "plenary", 45, day=0, start="09:00"),
                *_parallel(("regional-innovation", "industrial-symbiosis"), 2, 60),
                SessionSpec("Site visit: port of Bilbao", "site_visit", 240, speakers=1),
                SessionSpec("Site visit: battery pilot line", "site_visit", 240, speakers=1),
            ),
            rules={"cross_border_only": True},
            description="Two days, regional hosts, site visits that take a participant away "
            "for half a day.",
        ),
        Scenario(
            name="eu-taiwan",
            title="EU-Taiwan cluster matchmaking",
            kind="hybrid",
            timezone="Europe/Berlin",
            venue="Berlin, with online participants in Taipei",
            days=1,
            participants=120,
            cohorts=(
                Cohort(0.6, EU_MIX),
                Cohort(
                    0.4,
                    ("TW",),
                    online=1.0,
                    timezone="Asia/Taipei",
                    # Taipei joins in its evening for a Berlin morning: 16:00-20:00.
                    working_hours=("09:00", "20:00"),
                ),
            ),
            blocks=((0, "09:00", "13:00"),),
            meeting_length_min=25,
            tables=25,
            rules={"cross_border_only": True, "allowed_country_set_pairs": [["EU", "TW"]]},
            description="Cross-border matchmaking, only EU with Taiwan; on site in Berlin plus "
            "online participants in Taipei.",
        ),
        Scenario(
            name="clusters-talk",
            title="EU Clusters Talks",
            kind="online_talk",
            timezone="Europe/Brussels",
            venue="Online",
            days=1,
            participants=250,
            # The talk starts at 08:30: its audience and speakers start their day early.
            cohorts=(Cohort(1.0, EU_MIX, online=1.0, working_hours=("08:00", "17:00")),),
            rooms=(("Online studio", 5000),),
            sessions=(
                SessionSpec("News from the clusters", "plenary", 10, speakers=1),
                SessionSpec("Keynote", "keynote", 20, speakers=1),
                SessionSpec("Panel", "panel", 30, speakers=3, moderated=True),
                SessionSpec("Funding opportunities", "plenary", 15, speakers=1),
            ),
            programme={
                "day_start": "08:30",
                "day_end": "09:45",
                "breaks": [],
                "slot_minutes": 5,
            },
            matchmaking=False,
            everyone_attends_all=True,
            description="A 75-minute online talk, 08:30-09:45 CET: news, keynote, panel, "
            "funding opportunities; no matchmaking.",
        ),
    )
}


@dataclass
class BuiltScenario:
    scenario: Scenario
    event: Event
    organiser_key: str
    participants: list[Participant]


def build_scenario(scenario: Scenario, n_participants: int | None, seed: int) -> BuiltScenario:
    """Create the scenario's event in the current transaction; the caller commits."""
    rng = random.Random(seed)
    slug = f"scenario-{scenario.name}"
    existing = db.session.scalar(select(Event).where(Event.slug == slug))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        db.session.expunge_all()
    organiser, key = create_organiser(f"{scenario.title} team")
    db.session.flush()
    event = create_event(organiser, EventSchema().load(_payload(scenario, slug)))
    population = generate_population(n_participants or scenario.participants, seed)
    tags = _taxonomy(event, population)
    people = _register(scenario, event, population, tags, rng)
    _tables(scenario, event, people, rng)
    _programme(scenario, event, people, rng)
    db.session.flush()
    return BuiltScenario(scenario, event, key, people)


def _payload(scenario: Scenario, slug: str) -> dict[str, Any]:
    days = [START + timedelta(days=k) for k in range(scenario.days)]
    return {
        "slug": slug,
        "name": f"{scenario.title} 2027",
        "kind": scenario.kind,
        "venue": scenario.venue,
        "description": scenario.description,
        "timezone": scenario.timezone,
        "start_date": days[0].isoformat(),
        "end_date": days[-1].isoformat(),
        "meeting_settings": {
            "meeting_length_min": scenario.meeting_length_min,
            "blocks": [
                {"day": days[day].isoformat(), "start": start, "end": end}
                for day, start, end in scenario.blocks
            ],
            "max_meetings_per_participant": 8,
            "online_policy": scenario.online_policy,
            "video_link_template": "https://meet.example.org/{event_slug}-{meeting_secret}",
        },
        "rules": scenario.rules,
        "programme_settings": scenario.programme,
    }


def _taxonomy(event: Event, population: Population) -> dict[str, Tag]:
    tags = {}
    for item in population.taxonomy.tags:
        tag = Tag(event_id=event.id, slug=item.slug, label=item.label, kind=item.group)
        db.session.add(tag)
        tags[item.slug] = tag
    db.session.flush()
    return tags


def _cohort_of(scenario: Scenario, rng: random.Random) -> Cohort:
    draw = rng.random()
    for cohort in scenario.cohorts:
        draw -= cohort.share
        if draw < 0:
            return cohort
    return scenario.cohorts[-1]


def _register(
    scenario: Scenario,
    event: Event,
    population: Population,
    tags: dict[str, Tag],
    rng: random.Random,
) -> list[Participant]:
    """Register the generated people, with each organisation's country from its cohort."""
    cohorts = {org.organisation_id: _cohort_of(scenario, rng) for org in population.organisations}
    countries = {org_id: rng.choice(list(cohort.countries)) for org_id, cohort in cohorts.items()}
    organisations = {org.organisation_id: org for org in population.organisations}
    people = []
    for n, person in enumerate(population.participants):
        org = organisations[person.organisation_id]
        cohort = cohorts[org.organisation_id]
        data: dict[str, Any] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": f"p{n}.{person.email}",
            "consent": True,
            "role": person.role,
            "attendance": Attendance.ONLINE if rng.random() < cohort.online else Attendance.ON_SITE,
            "languages": ["en"],
            "description": person.profile.description,
            "interests": list(person.profile.interests),
            "organisation": {
                "name": f"{org.name} ({countries[org.organisation_id]})",
                "type": str(org.organisation_type),
                "country": countries[org.organisation_id],
                "region": org.region,
                "size": SIZE_CLASSES[org.size],
                "website": org.website,
                "sectors": list(org.sectors),
            },
        }
        if cohort.timezone:
            data["timezone"] = cohort.timezone
        if cohort.working_hours:
            data["working_hours_start"], data["working_hours_end"] = cohort.working_hours
        participant, _token = register_participant(event, RegistrationSchema().load(data))
        if scenario.matchmaking:
            for item in person.profile.opportunities:
                db.session.add(
                    Opportunity(
                        event_id=event.id,
                        participant=participant,
                        kind=str(item.kind),
                        title=item.title,
                        description=item.description,
                        tags=[tags[slug] for slug in item.tags if slug in tags],
                    )
                )
        people.append(participant)
    db.session.flush()
    return people


def _tables(
    scenario: Scenario, event: Event, people: list[Participant], rng: random.Random
) -> None:
    exhibitors = [
        p
        for p in people
        if p.attendance == Attendance.ON_SITE and p.organisation.type in ("sme", "large_company")
    ]
    # One stand per organisation: colleagues share it.
    by_org = {p.organisation_id: p for p in exhibitors}
    owners = rng.sample(
        sorted(by_org.values(), key=lambda p: p.id), min(scenario.booths, len(by_org))
    )
    for number, owner in enumerate(owners, start=1):
        save_table(
            event,
            {"name": f"Stand {number}: {owner.organisation.name}", "reserved_for_id": owner.id},
        )
    for number in range(1, scenario.tables + 1):
        save_table(event, {"name": f"Table {number}"})


def _programme(
    scenario: Scenario, event: Event, people: list[Participant], rng: random.Random
) -> None:
    if not scenario.sessions:
        return
    rooms = [save_room(event, {"name": name, "capacity": cap}) for name, cap in scenario.rooms]
    pool = [
        p
        for p in people
        if p.organisation.type
        in ("cluster_organisation", "research", "university", "public_authority", "investor")
    ]
    rng.shuffle(pool)
    sessions: list[Session] = []
    for spec in scenario.sessions:
        speakers: list[dict[str, Any]] = []
        for role in ["speaker"] * spec.speakers + (["moderator"] if spec.moderated else []):
            person = pool.pop() if pool else None
            speakers.append(
                {"participant_id": person.id, "role": role}
                if person
                else {"name": "Invited speaker", "role": role}
            )
        values: dict[str, Any] = {
            "title": spec.title,
            "kind": spec.kind,
            "theme": spec.theme,
            "length_min": spec.length_min,
            "speakers": speakers,
            "description": "Run by the community" if spec.run_by_community else "",
        }
        if spec.start is not None and spec.day is not None:
            day = event.start_date + timedelta(days=spec.day)
            values["room_id"] = rooms[0].id
            values["start_dt"] = datetime.combine(
                day, time.fromisoformat(spec.start), tzinfo=ZoneInfo(event.timezone)
            )
            values["is_pinned"] = True
        sessions.append(save_session(event, values))
    _sign_up(scenario, people, sessions, rng)


def _sign_up(
    scenario: Scenario, people: list[Participant], sessions: list[Session], rng: random.Random
) -> None:
    speaking = {
        (s.participant_id, session.id)
        for session in sessions
        for s in session.speakers
        if s.participant_id is not None
    }
    for person in people:
        if scenario.everyone_attends_all:
            chosen = list(sessions)
        else:
            plenaries = [s for s in sessions if s.kind in ("plenary", "keynote")]
            others = [s for s in sessions if s not in plenaries]
            chosen = plenaries + rng.sample(others, min(len(others), rng.randint(1, 2)))
        for session in chosen:
            if (person.id, session.id) not in speaking:
                sign_up(session, person, "attend" if rng.random() < 0.85 else "interest")


@dataclass
class ScenarioRun:
    built: BuiltScenario
    check: EventCheck
    steps: list[str]


def run_scenario(
    name: str, n_participants: int | None, seed: int, time_limit: float, workers: int = 2
) -> ScenarioRun:
    """Build, match, solve and publish a scenario like an organiser; then check it."""
    scenario = SCENARIOS[name]
    built = build_scenario(scenario, n_participants, seed)
    db.session.commit()
    steps = []
    params = {"time_limit": time_limit, "workers": workers}
    if scenario.sessions:
        version = run_and_publish(built.event, JobKind.AGENDA, params)
        steps.append(f"agenda: {version.summary.get('placed')} sessions placed")
    if scenario.matchmaking:
        simulate_requests(built.event, seed)
        db.session.commit()
        version = run_and_publish(built.event, JobKind.MEETINGS, params)
        summary = version.summary or {}
        steps.append(
            f"meetings: {summary.get('scheduled')} of {summary.get('meetings')} placed, "
            f"{summary.get('online')} online"
        )
    return ScenarioRun(built, check_event(built.event), steps)
