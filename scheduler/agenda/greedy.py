"""A first-fit agenda: CP-SAT's starting point, and the answer when CP-SAT finds none.

Sessions are taken most constrained first (pinned, then exclusive, then those with the
fewest (room, start) options, the longest first among equals). Each goes to the option
that breaks no hard rule (room free, its people free including the pause, exclusive
sessions alone) and adds the least soft cost given the sessions already placed: room
overflow, attendee clashes, parallel sessions of a theme, a theme in a new room, and a
move away from the previous agenda. Ties go to the earliest start, then the room order.
When a session finds no option, it moves to the front of the order and first fit starts
again ("squeaky wheel"), 2n + 1 attempts at most for n sessions. The result holds every hard rule or
is None: this is a heuristic, never a proof.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.agenda.instance import Placement, Session
from scheduler.agenda.prepared import PreparedAgenda


def greedy_agenda(prepared: PreparedAgenda) -> tuple[Placement, ...] | None:
    """Every session placed without breaking a hard rule, or None if first fit gets stuck."""
    instance = prepared.instance
    order = sorted(
        instance.sessions,
        key=lambda s: (
            s.pinned is None,
            not s.is_exclusive,
            len(prepared.candidates[s.id]),
            -s.length,
            s.id,
        ),
    )
    for _ in range(2 * len(order) + 1):
        placed, stuck = _first_fit(prepared, order)
        if stuck is None:
            return tuple(sorted(placed, key=lambda p: (p.start, p.room, p.session)))
        order.remove(stuck)
        order.insert(0, stuck)
    return None


def _first_fit(
    prepared: PreparedAgenda, sessions: list[Session]
) -> tuple[list[Placement], Session | None]:
    """The placements in this order, and the first session that found no option."""
    instance = prepared.instance
    weights = instance.weights
    partners: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for pair in prepared.overlap_pairs:
        cost = pair.co_attendance * weights.attendee_clashes
        cost += weights.theme_parallel if pair.same_theme else 0
        if cost:
            partners[pair.first].append((pair.second, cost))
            partners[pair.second].append((pair.first, cost))
    previous = {p.session: (p.room, p.start) for p in instance.previous or ()}

    room_busy: set[tuple[str, int]] = set()
    person_busy: dict[str, set[int]] = defaultdict(set)
    sessions_at: dict[int, int] = defaultdict(int)
    exclusive_at: set[int] = set()
    occupied: dict[str, range] = {}
    theme_rooms: dict[str, set[str]] = defaultdict(set)
    placed: list[Placement] = []

    for session in sessions:
        best: tuple[int, int, int, str] | None = None
        for index, (room, start) in enumerate(prepared.candidates[session.id]):
            covered = prepared.covered(session.id, start)
            busy = prepared.pause_covered(session.id, start)
            if any((room, slot) in room_busy for slot in covered):
                continue
            if any(busy_slot in person_busy[p] for p in session.people for busy_slot in busy):
                continue
            if session.is_exclusive:
                if any(sessions_at[slot] for slot in covered):
                    continue
            elif any(slot in exclusive_at for slot in covered):
                continue
            cost = weights.overflow_total * max(
                0, session.audience - instance.room_by_id[room].capacity
            )
            for other, pair_cost in partners[session.id]:
                if other in occupied and set(covered) & set(occupied[other]):
                    cost += pair_cost
            if session.theme is not None and theme_rooms[session.theme]:
                cost += weights.theme_room_changes * (room not in theme_rooms[session.theme])
            if session.id in previous and previous[session.id] != (room, start):
                cost += weights.moves
            option = (cost, start, index, room)
            if best is None or option < best:
                best = option
        if best is None:
            return placed, session
        _, start, _, room = best
        covered = prepared.covered(session.id, start)
        room_busy.update((room, slot) for slot in covered)
        for person in session.people:
            person_busy[person].update(prepared.pause_covered(session.id, start))
        for slot in covered:
            sessions_at[slot] += 1
            if session.is_exclusive:
                exclusive_at.add(slot)
        occupied[session.id] = covered
        if session.theme is not None:
            theme_rooms[session.theme].add(room)
        placed.append(Placement(session.id, room, start))
    return placed, None
