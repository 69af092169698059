"""Cheap infeasibility proofs, run before any model is built, with a reason people can read."""

from __future__ import annotations

from scheduler.meetings.instance import MeetingInstance


def _meeting_reason(instance: MeetingInstance, m: int) -> str:
    meeting = instance.meetings[m]
    fixed = instance.pinned_slot.get(meeting.id)
    if fixed is not None:
        if fixed not in instance.day_part_slots(meeting.day_part):
            return (
                f"meeting {meeting.id} is fixed to slot {fixed}, "
                f"outside its {meeting.day_part} day part"
            )
        for p in meeting.participants:
            if fixed in instance.forbidden_of[p]:
                return f"meeting {meeting.id} is fixed to slot {fixed}, forbidden for {p}"
        return f"meeting {meeting.id} is pinned to slot {fixed}, which contradicts its fixed slot"
    return (
        f"meeting {meeting.id} has no {meeting.day_part} slot free for both participants "
        f"{meeting.participant_a} and {meeting.participant_b}"
    )


def unplaceable_meetings(instance: MeetingInstance) -> list[int]:
    return [m for m, slots in enumerate(instance.allowed_slots) if not slots]


def required_meeting_conflict(instance: MeetingInstance, excluded: frozenset[int]) -> str | None:
    """Reasons that hold even when meetings may be dropped: pinned and fixed meetings clash."""
    for m in unplaceable_meetings(instance):
        if instance.meetings[m].id in instance.pinned_slot:
            return _meeting_reason(instance, m)
    seen: dict[tuple[str, int], str] = {}
    per_slot: dict[int, int] = {}
    for mid, s in instance.pinned_slot.items():
        meeting = instance.meetings[instance.meeting_index[mid]]
        for p in meeting.participants:
            other = seen.get((p, s))
            if other is not None:
                return f"meetings {other} and {mid} are both fixed to slot {s} for participant {p}"
            seen[p, s] = mid
        if instance.uses_shared_table(meeting):
            per_slot[s] = per_slot.get(s, 0) + 1
    for s, count in per_slot.items():
        if count > len(instance.shared_tables):
            tables = len(instance.shared_tables)
            return f"{count} meetings are fixed to slot {s} but only {tables} tables exist"
    del excluded
    return None


def _precedence_cycle(instance: MeetingInstance) -> list[str] | None:
    succ: dict[str, list[str]] = {}
    for earlier, later in instance.precedences:
        succ.setdefault(earlier, []).append(later)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in succ.get(node, []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in list(succ):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def infeasibility_reason(instance: MeetingInstance) -> str | None:
    """A reason why no schedule places every meeting, or None if none was found cheaply."""
    for m in unplaceable_meetings(instance):
        return _meeting_reason(instance, m)
    conflict = required_meeting_conflict(instance, frozenset())
    if conflict:
        return conflict
    for p in instance.participants:
        mine = instance.meetings_of[p.id]
        free = {s for m in mine for s in instance.allowed_slots[m]}
        if len(mine) > len(free):
            return f"participant {p.id} has {len(mine)} meetings but only {len(free)} usable slots"
        if p.max_meetings is not None and len(mine) > p.max_meetings:
            return f"participant {p.id} has {len(mine)} meetings, above its cap of {p.max_meetings}"
    in_person = sum(1 for m in instance.meetings if instance.uses_shared_table(m))
    seats = len(instance.shared_tables) * instance.n_slots
    if in_person > seats:
        return f"{in_person} meetings need a shared table but only {seats} table-slots exist"
    cycle = _precedence_cycle(instance)
    if cycle:
        return "precedences form a cycle: " + " -> ".join(cycle)
    return None
