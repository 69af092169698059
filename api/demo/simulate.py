"""What participants do before the event: read recommendations, ask, answer."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from api.exceptions import ClustermeetError
from api.extensions import db
from api.models import Event, MeetingRequest, Participant
from api.models.enums import RequestStatus
from api.recommendations.profiles import build_profiles, build_rules, event_participants, tag_labels
from api.requests.operations import accept_request, create_request, decline_request
from matchmaking import Matchmaker, Recommendation

# Per participant: how many of their top recommendations they ask, and how invitees answer.
REQUESTS_PER_PERSON = (2, 5)
RECOMMENDATIONS_READ = 10
ACCEPT_RATE = 0.75
MUTUAL_ACCEPT_RATE = 0.92
DECLINE_RATE = 0.12


@dataclass
class Simulation:
    recommendations: dict[str, list[Recommendation]]
    requests: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)


def simulate_requests(event: Event, seed: int) -> Simulation:
    """Participants ask their best recommendations; invitees accept, decline or wait."""
    rng = random.Random(seed)
    people = event_participants(event)
    by_id = {p.id: p for p in people}
    matchmaker = Matchmaker(
        build_profiles(people, event), build_rules(event), labels=tag_labels(event)
    )
    recommendations = matchmaker.recommend(RECOMMENDATIONS_READ)
    simulation = Simulation(recommendations)
    order = list(people)
    rng.shuffle(order)
    for person in order:
        picks = recommendations.get(str(person.id), [])
        wanted = rng.randint(*REQUESTS_PER_PERSON)
        for rec in picks[:wanted]:
            invitee = by_id[int(rec.candidate_id)]
            message = rec.reasons[0].text if rec.reasons else "Let's meet at the event."
            _try_request(event, person, invitee, message, simulation)
    _answer_pending(event, rng, recommendations)
    return simulation


def _try_request(
    event: Event, person: Participant, invitee: Participant, message: str, simulation: Simulation
) -> None:
    savepoint = db.session.begin_nested()
    try:
        create_request(event, person, invitee.id, message)
    except ClustermeetError as exc:
        savepoint.rollback()
        simulation.refused[type(exc).__name__] += 1
        return
    savepoint.commit()


def _answer_pending(
    event: Event, rng: random.Random, recommendations: dict[str, list[Recommendation]]
) -> None:
    mutual = {
        frozenset((r.participant_id, r.candidate_id))
        for recs in recommendations.values()
        for r in recs
        if r.is_mutual
    }
    pending = db.session.scalars(
        db.select(MeetingRequest)
        .where(MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.PENDING)
        .order_by(MeetingRequest.id)
    ).all()
    for request in pending:
        is_mutual = frozenset((str(request.requester_id), str(request.invitee_id))) in mutual
        draw = rng.random()
        savepoint = db.session.begin_nested()
        try:
            if draw < (MUTUAL_ACCEPT_RATE if is_mutual else ACCEPT_RATE):
                accept_request(event, request, request.invitee)
            elif draw < (MUTUAL_ACCEPT_RATE if is_mutual else ACCEPT_RATE) + DECLINE_RATE:
                decline_request(request, request.invitee)
        except ClustermeetError:
            # The invitee is already full: the request stays pending, as it would.
            savepoint.rollback()
            continue
        savepoint.commit()
