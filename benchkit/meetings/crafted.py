"""Crafted variants of the JAIR 2022 B2B instances (Bofill et al., JAIR 74, 2022, section 6).

The paper stresses its solvers with three families of changes to the 20 originals; the
variant files themselves are not public, so this generator makes them again, seeded, from
our reading of the paper:

- ``forbidden``: a share of all (participant, slot) pairs becomes forbidden (0.3 % and
  0.7 %), drawn uniformly among the pairs not forbidden yet, at least one pair.
- ``fixed``: a share of the meetings (20 % and 40 %) is fixed to a slot drawn uniformly
  among the slots it may take (session and both sides' forbidden slots). A slot where one
  side already has a fixed meeting, or where the fixed meetings already fill every table, is
  not drawn, so no variant is infeasible for a reason a glance at the fixes would show;
  the fixes can still clash with the fairness bound or leave no room for the others.
- ``precedences``: a share of the meetings (15 % and 25 %) each gets one meeting that must
  come strictly before it, drawn among the meetings sharing a participant with it (someone
  wants to see A before B); a pair that would close a cycle is not drawn.

Every variant keeps the original's meetings, sessions, tables and fairness bound; it is
named ``<original>+<family>-<percent>``. The same (instance, family, rate, seed) always
gives the same variant.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from scheduler.meetings.instance import MeetingInstance


@dataclass(frozen=True)
class Variant:
    family: str  # "forbidden", "fixed" or "precedences"
    rate: float  # share of (participant, slot) pairs or of meetings

    @property
    def label(self) -> str:
        return f"{self.family}-{self.rate * 100:g}"


# The paper's six variant families over each original.
PAPER_VARIANTS = (
    Variant("forbidden", 0.003),
    Variant("forbidden", 0.007),
    Variant("fixed", 0.20),
    Variant("fixed", 0.40),
    Variant("precedences", 0.15),
    Variant("precedences", 0.25),
)


def craft(instance: MeetingInstance, variant: Variant, seed: int = 0) -> MeetingInstance:
    """The ``variant`` of ``instance`` for ``seed``."""
    rng = random.Random(f"{instance.name}|{variant.label}|{seed}")
    makers = {
        "forbidden": _add_forbidden,
        "fixed": _add_fixed,
        "precedences": _add_precedences,
    }
    maker = makers.get(variant.family)
    if maker is None:
        raise ValueError(f"unknown variant family {variant.family!r}")
    crafted = maker(instance, variant.rate, rng)
    return replace(crafted, name=f"{instance.name}+{variant.label}")


def crafted_variants(
    instance: MeetingInstance,
    variants: tuple[Variant, ...] = PAPER_VARIANTS,
    seed: int = 0,
) -> Iterator[MeetingInstance]:
    for variant in variants:
        yield craft(instance, variant, seed)


def _add_forbidden(instance: MeetingInstance, rate: float, rng: random.Random) -> MeetingInstance:
    free = [
        (i, s)
        for i, p in enumerate(instance.participants)
        for s in range(instance.n_slots)
        if s not in p.forbidden_slots
    ]
    total = len(instance.participants) * instance.n_slots
    count = min(len(free), max(1, round(rate * total)))
    extra: dict[int, set[int]] = {}
    for i, s in rng.sample(free, count):
        extra.setdefault(i, set()).add(s)
    participants = tuple(
        replace(p, forbidden_slots=p.forbidden_slots | extra[i]) if i in extra else p
        for i, p in enumerate(instance.participants)
    )
    return replace(instance, participants=participants)


def _add_fixed(instance: MeetingInstance, rate: float, rng: random.Random) -> MeetingInstance:
    free = [m for m, meeting in enumerate(instance.meetings) if meeting.fixed_slot is None]
    count = min(len(free), round(rate * len(instance.meetings)))
    taken: set[tuple[str, int]] = set()
    per_slot: dict[int, int] = {}
    for meeting in instance.meetings:
        if meeting.fixed_slot is not None:
            per_slot[meeting.fixed_slot] = per_slot.get(meeting.fixed_slot, 0) + 1
            taken.update((p, meeting.fixed_slot) for p in meeting.participants)
    tables = len(instance.shared_tables)
    meetings = list(instance.meetings)
    for m in sorted(rng.sample(free, count)):
        meeting = meetings[m]
        slots = [
            s
            for s in instance.allowed_slots[m]
            if per_slot.get(s, 0) < tables
            and all((p, s) not in taken for p in meeting.participants)
        ]
        if not slots:
            continue
        s = rng.choice(slots)
        meetings[m] = replace(meeting, fixed_slot=s)
        per_slot[s] = per_slot.get(s, 0) + 1
        taken.update((p, s) for p in meeting.participants)
    return replace(instance, meetings=tuple(meetings))


def _reaches(succ: dict[str, set[str]], start: str, goal: str) -> bool:
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in succ.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _add_precedences(instance: MeetingInstance, rate: float, rng: random.Random) -> MeetingInstance:
    succ: dict[str, set[str]] = {}
    pairs = list(instance.precedences)
    for before, after in pairs:
        succ.setdefault(before, set()).add(after)
    count = min(len(instance.meetings), round(rate * len(instance.meetings)))
    for m in sorted(rng.sample(range(len(instance.meetings)), count)):
        later = instance.meetings[m]
        neighbours = sorted(
            {other for p in later.participants for other in instance.meetings_of[p] if other != m}
        )
        rng.shuffle(neighbours)
        for other in neighbours:
            earlier = instance.meetings[other].id
            if later.id in succ.get(earlier, set()) or _reaches(succ, later.id, earlier):
                continue
            succ.setdefault(earlier, set()).add(later.id)
            pairs.append((earlier, later.id))
            break
    return replace(instance, precedences=tuple(pairs))
