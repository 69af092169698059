"""JSON-ready dictionaries of meeting results (CLI output, job summaries)."""

from __future__ import annotations

from typing import Any

from scheduler.meetings.result import MeetingResult


def result_to_dict(result: MeetingResult, *, with_assignments: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "seconds": round(result.seconds, 3),
        "scheduled": len(result.assignments),
        "scheduled_weight": result.scheduled_weight,
        "weight_bound": result.weight_bound,
        "moves": result.moves,
        "table_changes": result.table_changes,
        "max_breaks": max(result.breaks.values(), default=0),
        "solver": result.solver,
    }
    if result.infeasible_reason:
        out["infeasible_reason"] = result.infeasible_reason
    out["unscheduled"] = [
        {
            "meeting": u.meeting_id,
            "reason": u.reason.value,
            "participants": list(u.participant_ids),
            "detail": u.detail,
        }
        for u in result.unscheduled
    ]
    if result.diff is not None:
        out["diff"] = {
            "new": list(result.diff.new),
            "moved": list(result.diff.moved),
            "dropped": list(result.diff.dropped),
        }
    if with_assignments:
        out["assignments"] = {
            mid: {"slot": a.slot, "table": a.table} for mid, a in result.assignments.items()
        }
        out["breaks"] = dict(result.breaks)
    return out
