"""The `automatch` job: propose meetings of maximal total score for a hosted-buyer event.

Proposals are stored as pending meeting requests of origin ``auto_match`` with their
score; the organiser reviews them and confirms them into meetings
(``POST .../meeting-requests/confirm-proposals``). A new run replaces the proposals of
the previous one that are still pending.

Params: ``min_meetings`` and ``max_meetings`` (a number for everybody, or a mapping from
participant group to number, e.g. ``{"buyer": 6, "supplier": 0}``; a participant's
existing meetings count towards both), ``candidates_per_participant`` and ``time_limit``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from api.exceptions import InvalidInput
from api.extensions import db
from api.models import Event, Meeting, MeetingRequest, Participant
from api.models.enums import MeetingStatus, RequestStatus
from api.recommendations.profiles import (
    build_profiles,
    build_rules,
    event_participants,
    open_request_pairs,
    settled_pairs,
    tag_labels,
)
from api.requests.operations import PROPOSAL, expire_requests
from api.solving.context import JobContext
from matchmaking import AutomatchSettings, SolverError, automatch

DEFAULT_MAX_MEETINGS = 10
MAX_SHORTFALLS_LISTED = 50


def _target(params: dict[str, Any], name: str, default: int) -> int | dict[str, int]:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | dict):
        raise InvalidInput(
            {name: ["A number, or a mapping from group to number."]},
            f"{name}: give a number, or a mapping from participant group to number",
        )
    if isinstance(value, dict) and not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()
    ):
        raise InvalidInput(
            {name: ["Numbers must be whole and not negative."]},
            f"{name}: numbers must be whole and not negative",
        )
    if isinstance(value, int) and value < 0:
        raise InvalidInput({name: ["Must not be negative."]}, f"{name} must not be negative")
    return value


def _per_person(
    target: int | dict[str, int], people: list[Participant], held: Counter[int], default: int
) -> dict[str, int]:
    """Each participant's target minus the meetings they already have."""
    result = {}
    for person in people:
        wanted = target if isinstance(target, int) else target.get(person.group, default)
        result[str(person.id)] = max(0, wanted - held[person.id])
    return result


def _meetings_held(event: Event) -> Counter[int]:
    held: Counter[int] = Counter()
    rows = db.session.execute(
        select(Meeting.participant_a_id, Meeting.participant_b_id).where(
            Meeting.event_id == event.id, Meeting.status != MeetingStatus.CANCELLED
        )
    )
    for a, b in rows:
        held.update(pid for pid in (a, b) if pid is not None)
    return held


def run_automatch_job(context: JobContext) -> dict[str, Any]:
    job = context.job
    params = job.params or {}
    event = db.session.get(Event, job.event_id)
    assert event is not None
    default_max = event.max_meetings_per_participant or DEFAULT_MAX_MEETINGS
    minimum = _target(params, "min_meetings", 0)
    maximum = _target(params, "max_meetings", default_max)
    per_participant = int(params.get("candidates_per_participant", 20))
    settings = AutomatchSettings(
        time_limit_s=float(params.get("time_limit", current_app.config["SOLVER_TIME_LIMIT"])),
        num_workers=int(params.get("workers", current_app.config.get("SOLVER_WORKERS", 2))),
    )
    context.report({"stage": "scoring"}, force=True)
    people = event_participants(event)
    held = _meetings_held(event)
    lows = _per_person(minimum, people, held, 0)
    highs = _per_person(maximum, people, held, default_max)
    lows = {pid: min(low, highs[pid]) for pid, low in lows.items()}
    # Pairs already asked, met or declined are not proposed again.
    rules = build_rules(event, settled_pairs(event) | open_request_pairs(event))
    if context.cancel.is_set():
        return {}
    result = automatch(
        build_profiles(people, event),
        rules,
        min_meetings=lows,
        max_meetings=highs,
        candidates_per_participant=per_participant,
        labels=tag_labels(event),
        settings=settings,
    )
    if context.cancel.is_set():
        return {}
    if result.status == "unknown":
        raise SolverError("No proposal found within the time limit; allow the job more time.")
    context.report(
        {"stage": "storing", "objective": result.objective, "bound": result.bound}, force=True
    )
    db.session.execute(
        delete(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.origin == PROPOSAL,
            MeetingRequest.status == RequestStatus.PENDING,
        )
        .execution_options(synchronize_session=False)
    )
    # Writes come after the last progress report: on SQLite the report's own connection
    # would wait for this session's write lock.
    expire_requests(event)
    for proposal in result.proposals:
        reasons = "; ".join(reason.text for reason in proposal.reasons_for_b)
        db.session.add(
            MeetingRequest(
                event_id=event.id,
                requester_id=int(proposal.a),
                invitee_id=int(proposal.b),
                message=f"Suggested by auto-matching: {reasons}" if reasons else "",
                origin=PROPOSAL,
                status=RequestStatus.PENDING,
                score=round(proposal.score, 4),
                version=1,
            )
        )
    return {
        "status": result.status,
        "proposals": len(result.proposals),
        "total_score": round(result.total_score, 4),
        "objective": result.objective,
        "bound": result.bound,
        "candidate_pairs": result.candidate_pairs,
        "participants": len(people),
        "shortfalls": [
            {"participant_id": int(s.participant_id), "minimum": s.minimum, "proposed": s.proposed}
            for s in result.shortfalls[:MAX_SHORTFALLS_LISTED]
        ],
        "shortfall_count": len(result.shortfalls),
    }
