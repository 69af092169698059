"""Seeded generator of oversubscribed events: more accepted meetings than can ever fit.

What an event looks like (defaults: the figures of issue 15):

- ``n_participants`` (2,000) people; one day of 24 slots, 12 morning and 12 afternoon;
- ``n_requests`` (10,000) accepted meeting requests between distinct pairs: the requester
  is drawn uniformly, the requested side by popularity, a Zipf law (weight ``1 / rank``
  over a shuffled ranking), so a few popular participants draw far more requests than
  they have slots;
- priorities 1 (60%), 2 (25%) and 3 (15%);
- 5% of the meetings morning-only and 5% afternoon-only;
- 20% of participants arrive late or leave early (2-6 slots at one end of the day);
- ``n_tables`` (250) shared tables: 6,000 table-slots for 10,000 meetings; no booths,
  nothing online;
- fairness ``d = 2`` beyond the breaks a participant's availability forces (the product's
  setting).
"""

from __future__ import annotations

import random

from scheduler.meetings.instance import (
    DayPart,
    Meeting,
    MeetingInstance,
    Participant,
    numbered_tables,
)


def generate_oversubscribed(
    n_participants: int = 2_000,
    n_requests: int = 10_000,
    seed: int = 0,
    n_slots: int = 24,
    n_tables: int = 250,
) -> MeetingInstance:
    if n_participants < 2:
        raise ValueError("an event needs at least 2 participants")
    max_pairs = n_participants * (n_participants - 1) // 2
    if not 0 < n_requests <= max_pairs // 2:
        raise ValueError(f"n_requests must be within 1..{max_pairs // 2}")
    rng = random.Random(seed)
    ids = [f"p{i + 1}" for i in range(n_participants)]
    ranking = ids[:]
    rng.shuffle(ranking)
    popularity = [1.0 / (rank + 1) for rank in range(n_participants)]
    half = n_slots // 2
    forbidden: dict[str, frozenset[int]] = {}
    for pid in ids:
        if rng.random() < 0.20:
            length = rng.randint(2, 6)
            start = 0 if rng.random() < 0.5 else n_slots - length
            forbidden[pid] = frozenset(range(start, start + length))
        else:
            forbidden[pid] = frozenset()
    pairs: set[frozenset[str]] = set()
    meetings: list[Meeting] = []
    while len(meetings) < n_requests:
        requester = rng.choice(ids)
        requested = rng.choices(ranking, weights=popularity, k=1)[0]
        key = frozenset((requester, requested))
        if requester == requested or key in pairs:
            continue
        pairs.add(key)
        roll = rng.random()
        day_part = (
            DayPart.MORNING if roll < 0.05 else DayPart.AFTERNOON if roll < 0.10 else DayPart.EITHER
        )
        priority_roll = rng.random()
        priority = 3 if priority_roll < 0.15 else 2 if priority_roll < 0.40 else 1
        meetings.append(
            Meeting(
                id=f"m{len(meetings) + 1}",
                participant_a=requester,
                participant_b=requested,
                day_part=day_part,
                priority=priority,
            )
        )
    return MeetingInstance(
        participants=tuple(
            Participant(id=pid, name=f"Participant {pid[1:]}", forbidden_slots=forbidden[pid])
            for pid in ids
        ),
        meetings=tuple(meetings),
        n_slots=n_slots,
        n_morning_slots=half,
        tables=numbered_tables(n_tables),
        fairness=2,
        fairness_excludes_forced=True,
        name=f"oversubscribed-{n_participants}-{n_requests}-s{seed}",
    )
