"""Seeded generator of tight hosted-buyer events, where a schedule without breaks exists.

A hosted-buyer event (trade fairs, "meet the buyer" days) has hosts who sit at a table for
one contiguous window of the day and meet a different visitor in every slot of it. What an
event of ``n`` participants looks like here:

- ``n // 2`` hosts and as many visitors; one day of 24 slots (12 morning, 12 afternoon),
  shortened to as many slots as hosts for events under 48 participants (so that small test
  events stay as tight);
- each host is present for a contiguous window of 4-12 slots (uniform; ``windows`` sets
  other bounds, such as 6-15 for events of about 5.3 meetings per participant), placed
  uniformly in the day, and is unavailable outside it; visitors have no unavailability;
- the meetings come from a planted schedule: slot by slot, every present host meets a
  present visitor, never the same pair twice. Visitor ``k``'s window is host ``k``'s (then
  visitor ids are shuffled), so as many visitors as hosts are present in every slot and
  everybody is busy in every slot of their window: 0 breaks for everyone;
- shared tables exactly at the peak demand (the most meetings of the planted schedule in
  one slot), no booths, nothing online;
- 3% of the meetings planted in the morning are morning-only, and 1% of all meetings are
  fixed to their planted slot (rounded, at least one of each at every size);
- fairness ``d = 2``, counting only avoidable breaks (as on real events).

The planted schedule is returned with the instance; the solver never sees it. Sizes are
rounded down to an even number of participants.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from scheduler.meetings.instance import (
    DayPart,
    Meeting,
    MeetingInstance,
    Participant,
    numbered_tables,
)

N_SLOTS = 24
# The shortest and the longest window a host may have, in slots, unless told otherwise.
WINDOWS = (4, 12)
MORNING_ONLY = 0.03
FIXED = 0.01


@dataclass(frozen=True)
class HostedBuyerEvent:
    instance: MeetingInstance
    # Meeting id -> slot of the planted 0-break schedule.
    planted: dict[str, int]


def _match(
    rng: random.Random, hosts: list[int], visitors: list[int], met: set[tuple[int, int]]
) -> dict[int, int] | None:
    """A perfect matching host -> visitor avoiding pairs in ``met`` (augmenting paths)."""
    visitor_of: dict[int, int] = {}
    host_of: dict[int, int] = {}
    free = visitors[:]
    order = visitors[:]
    for h in rng.sample(hosts, len(hosts)):
        # Usually a random free visitor will do; augmenting paths only when none does.
        for _ in range(20):
            i = rng.randrange(len(free))
            if (h, free[i]) not in met:
                v = free[i]
                free[i] = free[-1]
                free.pop()
                visitor_of[h], host_of[v] = v, h
                break
        if h in visitor_of:
            continue
        rng.shuffle(order)
        # Iterative DFS over alternating paths from host h.
        parent: dict[int, int] = {}
        stack = [h]
        seen_v: set[int] = set()
        found: int | None = None
        while stack and found is None:
            x = stack.pop()
            for v in order:
                if v in seen_v or (x, v) in met:
                    continue
                seen_v.add(v)
                parent[v] = x
                if v not in host_of:
                    found = v
                    break
                stack.append(host_of[v])
        if found is None:
            return None
        free.remove(found)
        v = found
        while True:
            x = parent[v]
            previous = visitor_of.get(x)
            visitor_of[x] = v
            host_of[v] = x
            if x == h:
                break
            assert previous is not None
            v = previous
    return visitor_of


def check_windows(windows: tuple[int, int]) -> None:
    """ValueError unless ``windows`` (shortest, longest) fit the day."""
    shortest, longest = windows
    if not 1 <= shortest <= longest <= N_SLOTS:
        raise ValueError(f"windows must be 1 <= shortest <= longest <= {N_SLOTS} slots")


def generate_hosted_buyer(
    n_participants: int, seed: int = 0, windows: tuple[int, int] = WINDOWS
) -> HostedBuyerEvent:
    """An event of ``n_participants`` drawn with ``seed``; ``windows``, the shortest and
    the longest window a host may have (slots)."""
    if n_participants < 4:
        raise ValueError("a hosted-buyer event needs at least 4 participants")
    check_windows(windows)
    rng = random.Random(seed)
    for _attempt in range(100):
        event = _draw(rng, n_participants // 2, seed, windows)
        if event is not None:
            return event
    raise ValueError(
        f"no hosted-buyer event of {n_participants} participants drawn"
    )  # pragma: no cover


def _draw(
    rng: random.Random, n_hosts: int, seed: int, lengths: tuple[int, int]
) -> HostedBuyerEvent | None:
    """One draw; None when some slot admits no pairing of new pairs (small events)."""
    shortest, longest = lengths
    n_slots = min(N_SLOTS, max(shortest, n_hosts))
    windows = []
    for _ in range(n_hosts):
        # A host meets a different visitor in every slot of its window.
        length = rng.randint(min(shortest, n_slots), min(longest, n_slots))
        start = rng.randint(0, n_slots - length)
        windows.append(range(start, start + length))
    visitor_window = list(range(n_hosts))
    rng.shuffle(visitor_window)  # visitor k has the window of host visitor_window[k]
    present_visitors = [
        [k for k in range(n_hosts) if s in windows[visitor_window[k]]] for s in range(n_slots)
    ]
    met: set[tuple[int, int]] = set()
    planted: list[tuple[int, int, int]] = []  # (host, visitor, slot)
    for s in range(n_slots):
        hosts = [h for h in range(n_hosts) if s in windows[h]]
        pairing = _match(rng, hosts, present_visitors[s], met)
        if pairing is None:
            return None
        for h, v in pairing.items():
            met.add((h, v))
            planted.append((h, v, s))
    rng.shuffle(planted)  # request order carries no hint of the planted slots

    morning = [i for i, (_h, _v, s) in enumerate(planted) if s < n_slots // 2]
    n_morning_only = max(1, round(MORNING_ONLY * len(morning)))
    morning_only = set(rng.sample(morning, n_morning_only))
    fixed = set(rng.sample(range(len(planted)), max(1, round(FIXED * len(planted)))))
    meetings = tuple(
        Meeting(
            id=f"m{i + 1}",
            participant_a=f"h{h + 1}",
            participant_b=f"v{v + 1}",
            day_part=DayPart.MORNING if i in morning_only else DayPart.EITHER,
            fixed_slot=s if i in fixed else None,
        )
        for i, (h, v, s) in enumerate(planted)
    )
    participants = tuple(
        Participant(
            id=f"h{h + 1}",
            name=f"Host {h + 1}",
            forbidden_slots=frozenset(set(range(n_slots)) - set(windows[h])),
        )
        for h in range(n_hosts)
    ) + tuple(Participant(id=f"v{k + 1}", name=f"Visitor {k + 1}") for k in range(n_hosts))
    peak = max(sum(1 for w in windows if s in w) for s in range(n_slots))
    instance = MeetingInstance(
        participants=participants,
        meetings=meetings,
        n_slots=n_slots,
        n_morning_slots=n_slots // 2,
        tables=numbered_tables(peak),
        fairness=2,
        fairness_excludes_forced=True,
        name=f"hosted-buyer-{2 * n_hosts}-s{seed}{_windows_suffix(lengths)}",
    )
    return HostedBuyerEvent(
        instance=instance,
        planted={f"m{i + 1}": s for i, (_h, _v, s) in enumerate(planted)},
    )


def _windows_suffix(lengths: tuple[int, int]) -> str:
    """The event name's mark of windows other than the default ones."""
    return "" if lengths == WINDOWS else f"-w{lengths[0]}-{lengths[1]}"
