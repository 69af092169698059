"""Checks a meeting schedule against its instance without knowing who produced it.

Everything is recomputed from the assignments alone; the numbers a result reports (breaks,
objective) are compared with the recomputed ones.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from scheduler.meetings.instance import MeetingInstance
from scheduler.meetings.result import MeetingResult, Status


@dataclass(frozen=True)
class Violation:
    kind: str
    message: str
    meeting_ids: tuple[str, ...] = ()
    participant_ids: tuple[str, ...] = ()


def _breaks(slots: list[int]) -> int:
    ordered = sorted(slots)
    return sum(1 for a, b in itertools.pairwise(ordered) if b - a > 1)


def validate(
    instance: MeetingInstance,
    result: MeetingResult,
    *,
    require_all: bool = False,
    check_fairness: bool = True,
) -> list[Violation]:
    """All violations found; an empty list means the schedule is valid.

    ``require_all`` demands every meeting be scheduled (the benchmark problem); otherwise only
    fixed and pinned meetings must be. A result of status unknown may carry the best partial
    schedule found (strict mode without a full schedule): it is checked like any other.
    ``check_fairness`` can be switched off for schedules from producers that never promised
    fairness (the FCFS baseline).
    """
    out: list[Violation] = []
    if result.status is Status.INFEASIBLE or (
        result.status is Status.UNKNOWN and not result.assignments
    ):
        if result.assignments:
            out.append(Violation("status", f"status {result.status} but assignments present"))
        return out
    if result.status is Status.UNKNOWN and require_all:
        # Unknown carries the best partial schedule found when no full one was.
        out.append(Violation("status", "status unknown: no schedule with every meeting"))
        require_all = False
    meetings = {m.id: m for m in instance.meetings}
    tables = {t.id: t for t in instance.tables}
    busy: dict[str, list[tuple[int, str]]] = {p.id: [] for p in instance.participants}
    table_use: dict[tuple[int, str], list[str]] = {}
    shared_per_slot: dict[int, int] = {}

    for mid, a in result.assignments.items():
        meeting = meetings.get(mid)
        if meeting is None:
            out.append(Violation("unknown_meeting", f"meeting {mid} not in the instance", (mid,)))
            continue
        if not 0 <= a.slot < instance.n_slots:
            out.append(Violation("slot_range", f"meeting {mid} at slot {a.slot}", (mid,)))
            continue
        if a.slot not in instance.day_part_slots(meeting.day_part):
            out.append(
                Violation(
                    "session", f"meeting {mid} at slot {a.slot} outside {meeting.day_part}", (mid,)
                )
            )
        for p in meeting.participants:
            busy[p].append((a.slot, mid))
            if a.slot in instance.forbidden_of[p]:
                out.append(
                    Violation(
                        "forbidden",
                        f"meeting {mid} at slot {a.slot}, forbidden for {p}",
                        (mid,),
                        (p,),
                    )
                )
        if meeting.fixed_slot is not None and a.slot != meeting.fixed_slot:
            out.append(
                Violation("fixed", f"meeting {mid} must be at slot {meeting.fixed_slot}", (mid,))
            )
        if mid in instance.pinned:
            prev = instance.previous[mid]
            if (a.slot, a.table) != (prev.slot, prev.table):
                out.append(Violation("pinned", f"pinned meeting {mid} moved", (mid,)))
        if instance.uses_shared_table(meeting):
            shared_per_slot[a.slot] = shared_per_slot.get(a.slot, 0) + 1
        if meeting.is_online:
            if a.table is not None:
                out.append(Violation("table", f"online meeting {mid} at table {a.table}", (mid,)))
            continue
        if a.table is None:
            out.append(Violation("table", f"in-person meeting {mid} has no table", (mid,)))
            continue
        table = tables.get(a.table)
        if table is None:
            out.append(Violation("table", f"meeting {mid} at unknown table {a.table}", (mid,)))
            continue
        booth = instance.booth_for_meeting(meeting)
        if booth is not None and a.table != booth:
            out.append(Violation("booth", f"meeting {mid} must be at booth {booth}", (mid,)))
        if table.reserved_for is not None and table.reserved_for not in meeting.participants:
            out.append(
                Violation(
                    "booth",
                    f"meeting {mid} uses {table.id}, reserved for {table.reserved_for}",
                    (mid,),
                )
            )
        table_use.setdefault((a.slot, a.table), []).append(mid)

    for (slot, table_id), mids in table_use.items():
        if len(mids) > 1:
            out.append(
                Violation(
                    "table_twice",
                    f"table {table_id} used {len(mids)} times in slot {slot}",
                    tuple(mids),
                )
            )
    for slot, count in shared_per_slot.items():
        if count > len(instance.shared_tables):
            out.append(
                Violation(
                    "capacity",
                    f"{count} meetings in slot {slot} for {len(instance.shared_tables)} tables",
                )
            )

    scheduled = set(result.assignments)
    for m in instance.meetings:
        must = require_all or m.fixed_slot is not None or m.id in instance.pinned
        if must and m.id not in scheduled:
            out.append(Violation("unscheduled", f"meeting {m.id} is not scheduled", (m.id,)))

    recomputed: dict[str, int] = {}
    for person in instance.participants:
        entries = busy[person.id]
        by_slot: dict[int, list[str]] = {}
        for slot, mid in entries:
            by_slot.setdefault(slot, []).append(mid)
        for slot, mids in by_slot.items():
            if len(mids) > 1:
                out.append(
                    Violation(
                        "double_booking",
                        f"participant {person.id} has {len(mids)} meetings in slot {slot}",
                        tuple(mids),
                        (person.id,),
                    )
                )
        cap = person.max_meetings
        if cap is not None and len(entries) > cap:
            out.append(
                Violation(
                    "cap",
                    f"participant {person.id} has {len(entries)} meetings, cap {cap}",
                    (),
                    (person.id,),
                )
            )
        recomputed[person.id] = _breaks([s for s, _ in entries])

    slot_of = {mid: a.slot for mid, a in result.assignments.items()}
    for earlier, later in instance.precedences:
        if earlier in slot_of and later in slot_of and not slot_of[earlier] < slot_of[later]:
            out.append(
                Violation(
                    "precedence", f"meeting {earlier} must come before {later}", (earlier, later)
                )
            )

    if check_fairness and instance.fairness_excludes_forced:
        for pid, value in recomputed.items():
            limit = instance.break_limit(pid)
            if busy[pid] and limit is not None and value > limit:
                out.append(
                    Violation(
                        "fairness",
                        f"participant {pid}: {value} breaks, {limit} allowed (d="
                        f"{instance.fairness} + {instance.forced_breaks[pid]} forced)",
                        (),
                        (pid,),
                    )
                )
    elif check_fairness and instance.fairness is not None:
        active = [recomputed[p] for p in recomputed if busy[p]]
        if active and max(active) - min(active) > instance.fairness:
            out.append(
                Violation(
                    "fairness",
                    f"breaks range {min(active)}..{max(active)} exceeds d={instance.fairness}",
                )
            )

    for pid, value in result.breaks.items():
        if recomputed.get(pid, 0) != value:
            out.append(
                Violation(
                    "breaks",
                    f"participant {pid}: reported {value} breaks, "
                    f"recomputed {recomputed.get(pid, 0)}",
                    (),
                    (pid,),
                )
            )
    total = sum(recomputed.values())
    if result.objective is not None and result.objective != total:
        out.append(
            Violation("objective", f"reported objective {result.objective}, recomputed {total}")
        )
    listed = {u.meeting_id for u in result.unscheduled}
    for m in instance.meetings:
        if m.id not in scheduled and m.id not in listed:
            out.append(
                Violation("explanation", f"meeting {m.id} unscheduled without a reason", (m.id,))
            )
    return out
