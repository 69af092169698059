"""The demo event's venue and programme, modelled on the European Cluster Conference."""

from __future__ import annotations

from dataclasses import dataclass

ROOMS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("Plenary Hall", 700, ("streaming", "hybrid", "stage", "interpretation")),
    ("Room Danube", 150, ("streaming", "hybrid", "projector")),
    ("Room Rhine", 120, ("hybrid", "projector")),
    ("Room Loire", 80, ("projector",)),
    ("Room Vistula", 60, ("projector",)),
    ("Innovation Lab", 40, ()),
)


@dataclass(frozen=True)
class DemoSession:
    title: str
    kind: str
    theme: str
    length_min: int
    speakers: int = 1
    moderated: bool = False
    features: tuple[str, ...] = ()
    pinned_room: str | None = None
    pinned_start: str | None = None  # "day-index HH:MM" in local time


SESSIONS: tuple[DemoSession, ...] = (
    DemoSession(
        "Opening plenary: clusters for a competitive Europe",
        "plenary",
        "policy",
        60,
        speakers=2,
        features=("streaming",),
        pinned_room="Plenary Hall",
        pinned_start="0 09:00",
    ),
    DemoSession(
        "Keynote: the Clean Industrial Deal and regional ecosystems",
        "keynote",
        "green-transition",
        30,
        features=("streaming",),
    ),
    DemoSession(
        "Panel: resilient supply chains for critical raw materials",
        "panel",
        "resilience",
        60,
        speakers=3,
        moderated=True,
        features=("streaming",),
    ),
    DemoSession(
        "Green transition I: decarbonising energy-intensive industries",
        "parallel",
        "green-transition",
        60,
        speakers=2,
        moderated=True,
    ),
    DemoSession(
        "Green transition II: circular value chains in textiles and construction",
        "parallel",
        "green-transition",
        60,
        speakers=2,
        moderated=True,
    ),
    DemoSession(
        "Digital transition I: AI adoption in manufacturing SMEs",
        "parallel",
        "digital-transition",
        60,
        speakers=2,
        moderated=True,
    ),
    DemoSession(
        "Digital transition II: data spaces and cybersecurity for clusters",
        "parallel",
        "digital-transition",
        60,
        speakers=2,
        moderated=True,
    ),
    DemoSession(
        "Resilience: interregional cooperation under stress",
        "parallel",
        "resilience",
        60,
        speakers=2,
        moderated=True,
    ),
    DemoSession(
        "Skills: the Pact for Skills in industrial ecosystems", "workshop", "skills", 90, speakers=2
    ),
    DemoSession(
        "Funding opportunities: Horizon Europe, I3 and the Single Market Programme",
        "parallel",
        "funding",
        60,
        speakers=3,
        features=("hybrid",),
    ),
    DemoSession(
        "Technology: hydrogen valleys and battery alliances",
        "parallel",
        "technology",
        60,
        speakers=2,
        moderated=True,
    ),
    DemoSession(
        "Pitching: 10 SMEs, 3 minutes each",
        "pitching",
        "funding",
        60,
        speakers=1,
        features=("projector",),
    ),
    DemoSession(
        "Site visit: Gipuzkoa advanced manufacturing centre",
        "site_visit",
        "technology",
        90,
        speakers=1,
    ),
    DemoSession(
        "Closing plenary: cluster policy after 2027",
        "plenary",
        "policy",
        30,
        speakers=2,
        features=("streaming",),
    ),
)

# Meeting blocks (local time) on the two days: afternoon of day 1, all of day 2.
MEETING_BLOCKS: tuple[tuple[int, str, str], ...] = (
    (0, "14:00", "17:30"),
    (1, "09:30", "12:30"),
    (1, "14:00", "16:00"),
)
TABLE_COUNT = 45
EXHIBITOR_BOOTHS = 6
