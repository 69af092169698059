"""Why a meeting was left unscheduled, in terms an organiser can act on."""

from __future__ import annotations

from collections.abc import Mapping

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.result import Unscheduled, UnscheduledReason


def explain_unscheduled(
    instance: MeetingInstance, slots: Mapping[str, int]
) -> tuple[Unscheduled, ...]:
    """One explanation per meeting of ``instance`` missing from ``slots`` (meeting id -> slot).

    Reasons are tested from the most to the least fundamental: no slot both sides could ever
    use, a side at its cap or booked in every possible slot, no table left where both sides
    were free, a precedence, and otherwise a trade-off against higher-priority meetings.
    """
    busy: dict[str, set[int]] = {p.id: set() for p in instance.participants}
    count: dict[str, int] = {p.id: 0 for p in instance.participants}
    shared_used = [0] * instance.n_slots
    for mid, s in slots.items():
        meeting = instance.meetings[instance.meeting_index[mid]]
        for p in meeting.participants:
            busy[p].add(s)
            count[p] += 1
        if instance.uses_shared_table(meeting):
            shared_used[s] += 1
    caps = {p.id: p.max_meetings for p in instance.participants}
    out: list[Unscheduled] = []
    for m, meeting in enumerate(instance.meetings):
        if meeting.id in slots:
            continue
        allowed = instance.allowed_slots[m]
        sides = meeting.participants
        if not allowed:
            out.append(
                Unscheduled(
                    meeting.id,
                    UnscheduledReason.NO_COMMON_FREE_SLOT,
                    sides,
                    f"no {meeting.day_part.value} slot is free for both participants",
                )
            )
            continue
        full = tuple(p for p in sides if caps[p] is not None and count[p] >= (caps[p] or 0))
        if full:
            out.append(
                Unscheduled(
                    meeting.id,
                    UnscheduledReason.PARTICIPANT_FULL,
                    full,
                    "reached the maximum number of meetings",
                )
            )
            continue
        both_free = [s for s in allowed if s not in busy[sides[0]] and s not in busy[sides[1]]]
        if not both_free:
            booked = tuple(p for p in sides if any(s in busy[p] for s in allowed))
            out.append(
                Unscheduled(
                    meeting.id,
                    UnscheduledReason.PARTICIPANT_FULL,
                    booked,
                    "every possible slot is taken by another meeting",
                )
            )
            continue
        capacity = len(instance.shared_tables)
        if instance.uses_shared_table(meeting) and all(
            shared_used[s] >= capacity for s in both_free
        ):
            out.append(
                Unscheduled(
                    meeting.id,
                    UnscheduledReason.TABLES_FULL,
                    (),
                    f"all tables are taken in the {len(both_free)} slot(s) both sides are free",
                )
            )
            continue
        if any(meeting.id in pair for pair in instance.precedences):
            out.append(
                Unscheduled(
                    meeting.id,
                    UnscheduledReason.PRECEDENCE,
                    sides,
                    "an order between meetings leaves no slot",
                )
            )
            continue
        out.append(
            Unscheduled(
                meeting.id,
                UnscheduledReason.DISPLACED,
                sides,
                "left out to schedule higher-priority meetings or respect fairness",
            )
        )
    return tuple(out)
