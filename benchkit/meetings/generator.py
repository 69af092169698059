"""Seeded generator of realistic brokerage events, for scale tests and benchmarks.

What an event of ``n`` participants looks like (figures from cluster matchmaking events):
- 20-minute meetings; one day of 24 slots (12 morning, 12 afternoon) up to 1,000
  participants, two days of 16 slots each (32 slots) above; slots are numbered straight
  through, so the morning/afternoon boundary is the first day's lunch break;
- each participant wants 3-15 meetings, 9 on average (a triangular distribution), never more
  than its free slots minus two; meetings come in request order, which FCFS follows;
- priorities: 1 (requested), 2 (organiser-created, 15%), 3 (mutual interest, 25%);
- 10% of meetings are restricted to the morning or afternoon block (a side only attends half
  a day);
- 4% of participants are exhibitors with a booth (a reserved table); shared tables are sized
  for ~80% utilisation of the in-person meetings that do not happen at a booth;
- 20% of participants arrive late or leave early (2-6 slots at the start or end of a day);
  30% attend one conference session, which blocks the same 3 slots for all its attendees;
- 8% of participants join remotely from other time zones: they are available only in the
  half of each day that is office time for them, and all their meetings are online;
- per-participant caps of 15 meetings;
- fairness as the product applies it: ``d`` breaks beyond those a participant's own
  availability forces (``fairness_excludes_forced``).
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Mapping

from scheduler.meetings.instance import (
    DayPart,
    Meeting,
    MeetingInstance,
    Participant,
    Placement,
    Table,
)


def _days_and_slots(n: int) -> tuple[int, int]:
    return (1, 24) if n <= 1000 else (2, 16)


def generate_event(n_participants: int, seed: int = 0, fairness: int | None = 2) -> MeetingInstance:
    rng = random.Random(seed)
    days, per_day = _days_and_slots(n_participants)
    n_slots = days * per_day
    n_morning = per_day // 2
    ids = [f"p{i + 1}" for i in range(n_participants)]

    # Conference sessions block the same three slots for all their attendees.
    session_blocks = [
        range(d * per_day + start, d * per_day + start + 3)
        for d in range(days)
        for start in (2, per_day // 2 + 3)
    ]
    remote = set(rng.sample(ids, k=round(0.08 * n_participants)))
    forbidden: dict[str, set[int]] = {pid: set() for pid in ids}
    for pid in ids:
        if pid in remote:
            # Office hours of a far time zone cover only one half of each day.
            half = rng.choice((0, 1))
            for d in range(days):
                lo = d * per_day + (n_morning if half == 0 else 0)
                forbidden[pid].update(range(lo, lo + per_day - n_morning))
            continue
        if rng.random() < 0.20:
            length = rng.randint(2, 6)
            day_start = rng.randrange(days) * per_day
            start = day_start if rng.random() < 0.5 else day_start + per_day - length
            forbidden[pid].update(range(start, start + length))
        if rng.random() < 0.30:
            forbidden[pid].update(rng.choice(session_blocks))

    free = {pid: n_slots - len(forbidden[pid]) for pid in ids}
    target = {pid: max(1, min(round(rng.triangular(3, 15, 9)), free[pid] - 2)) for pid in ids}
    meetings = _pair_up(rng, ids, target, forbidden)

    exhibitors = rng.sample(
        [pid for pid in ids if pid not in remote], k=max(1, round(0.04 * n_participants))
    )
    booth_of = {pid: f"B{i + 1}" for i, pid in enumerate(exhibitors)}
    built: list[Meeting] = []
    for i, (a, b) in enumerate(meetings):
        online = a in remote or b in remote or rng.random() < 0.03
        roll = rng.random()
        day_part = DayPart.EITHER
        if roll < 0.05:
            day_part = DayPart.MORNING
        elif roll < 0.10:
            day_part = DayPart.AFTERNOON
        priority_roll = rng.random()
        priority = 3 if priority_roll < 0.25 else 2 if priority_roll < 0.40 else 1
        built.append(
            Meeting(
                id=f"m{i + 1}",
                participant_a=a,
                participant_b=b,
                day_part=day_part,
                priority=priority,
                is_online=online,
            )
        )
    in_person_shared = sum(
        1
        for m in built
        if not m.is_online and m.participant_a not in booth_of and m.participant_b not in booth_of
    )
    n_shared = max(1, math.ceil(in_person_shared / (n_slots * 0.80)))
    tables = tuple(Table(id=f"T{i + 1}", name=f"Table {i + 1}") for i in range(n_shared)) + tuple(
        Table(id=booth, name=f"Booth of {pid}", reserved_for=pid) for pid, booth in booth_of.items()
    )
    participants = tuple(
        Participant(
            id=pid,
            name=f"Participant {pid[1:]}",
            forbidden_slots=frozenset(forbidden[pid]),
            max_meetings=15,
        )
        for pid in ids
    )
    return MeetingInstance(
        participants=participants,
        meetings=tuple(built),
        n_slots=n_slots,
        n_morning_slots=n_morning,
        tables=tables,
        fairness=fairness,
        fairness_excludes_forced=True,
        name=f"generated-{n_participants}-s{seed}",
    )


def churn(
    instance: MeetingInstance,
    published: Mapping[str, Placement],
    seed: int = 0,
    fraction: float = 0.02,
) -> MeetingInstance:
    """The day before the event: ``fraction`` of the meetings are cancelled and as many new
    ones accepted (between people who do not meet yet, online if a side is remote, that is
    if it has online meetings already); ``published`` becomes the previous version."""
    rng = random.Random(seed)
    kept = [m for m in instance.meetings if rng.random() >= fraction]
    remote = {p for m in instance.meetings if m.is_online for p in m.participants}
    pairs = {frozenset(m.participants) for m in instance.meetings}
    ids = [p.id for p in instance.participants]
    added: list[Meeting] = []
    while len(added) < round(fraction * len(instance.meetings)):
        a, b = rng.sample(ids, 2)
        if frozenset((a, b)) in pairs:
            continue
        pairs.add(frozenset((a, b)))
        added.append(
            Meeting(
                id=f"new{len(added) + 1}",
                participant_a=a,
                participant_b=b,
                is_online=a in remote or b in remote,
            )
        )
    return dataclasses.replace(
        instance, meetings=tuple(kept + added), previous=dict(published), pinned=frozenset()
    )


def _pair_up(
    rng: random.Random, ids: list[str], target: dict[str, int], forbidden: dict[str, set[int]]
) -> list[tuple[str, str]]:
    """Random pairs honouring each participant's wished number of meetings."""
    stubs = [pid for pid in ids for _ in range(target[pid])]
    rng.shuffle(stubs)
    seen: set[frozenset[str]] = set()
    pairs: list[tuple[str, str]] = []
    pending: list[str] = []
    for pid in stubs:
        partner = None
        for k, other in enumerate(pending):
            key = frozenset((pid, other))
            # Two people with no common free slot would never be matched by an organiser.
            if other != pid and key not in seen and len(forbidden[pid] | forbidden[other]) < 20:
                partner = pending.pop(k)
                break
            if k > 20:
                break
        if partner is None:
            pending.append(pid)
            continue
        seen.add(frozenset((pid, partner)))
        pairs.append((partner, pid))
    rng.shuffle(pairs)
    return pairs
