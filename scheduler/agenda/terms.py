"""Soft-term values and the re-solve diff of a complete agenda, read off its placements."""

from __future__ import annotations

from collections import defaultdict

from scheduler.agenda.instance import AgendaInstance, Placement
from scheduler.agenda.prepared import PreparedAgenda
from scheduler.agenda.result import AgendaDiff, Move, SoftTerms


def soft_terms(prepared: PreparedAgenda, placements: tuple[Placement, ...]) -> SoftTerms:
    instance = prepared.instance
    by_session = {p.session: p for p in placements}
    busy = {p.session: set(prepared.covered(p.session, p.start)) for p in placements}
    clashes = parallel = 0
    for pair in prepared.overlap_pairs:
        if busy[pair.first] & busy[pair.second]:
            clashes += pair.co_attendance
            parallel += int(pair.same_theme)
    theme_rooms: dict[str, set[str]] = defaultdict(set)
    overflows = [0]
    for session in instance.sessions:
        room = instance.room_by_id[by_session[session.id].room]
        if session.theme is not None:
            theme_rooms[session.theme].add(room.id)
        overflows.append(max(0, session.audience - room.capacity))
    previous = instance.previous or ()
    return SoftTerms(
        attendee_clashes=clashes,
        theme_parallel=parallel,
        theme_room_changes=sum(len(rooms) - 1 for rooms in theme_rooms.values()),
        overflow_total=sum(overflows),
        overflow_max=max(overflows),
        moves=sum(1 for p in previous if p.session in by_session and by_session[p.session] != p),
    )


def agenda_diff(instance: AgendaInstance, placements: tuple[Placement, ...]) -> AgendaDiff | None:
    if instance.previous is None:
        return None
    before = {p.session: p for p in instance.previous}
    after = {p.session: p for p in placements}
    moved = tuple(
        Move(sid, before[sid], after[sid])
        for sid in sorted(before.keys() & after.keys())
        if before[sid] != after[sid]
    )
    return AgendaDiff(
        new=tuple(sorted(after.keys() - before.keys())),
        moved=moved,
        cancelled=tuple(sorted(before.keys() - after.keys())),
        unchanged=len(before.keys() & after.keys()) - len(moved),
    )
