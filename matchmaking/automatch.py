"""Auto-matching for hosted-buyer events: a set of meetings of maximal total score.

A b-matching with lower and upper degree bounds, solved with CP-SAT on each participant's
top candidates only, so the model grows with ``n * candidates`` instead of ``n**2``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matchmaking.errors import InvalidRulesError, SolverError, UnknownParticipantError
from matchmaking.profiles import ParticipantProfile
from matchmaking.reasons import Reason
from matchmaking.recommend import CandidatePair, Matchmaker
from matchmaking.rules import MatchingRules
from matchmaking.scoring import ScoringWeights

Targets = int | Mapping[str, int]


@dataclass(frozen=True)
class AutomatchSettings:
    """Solver settings. Every solve is bounded in time and cores (colleagues share the box).

    ``shortfall_penalty`` is the price, in score units, of one meeting below a participant's
    minimum. ``None`` makes it larger than the total score of all candidates, so the
    minimums come first and the score second; a smaller value lets a few strong meetings
    outweigh a missing weak one.
    """

    time_limit_s: float = 10.0
    num_workers: int = 2
    shortfall_penalty: float | None = None
    score_scale: int = 1000
    random_seed: int = 0

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0 or self.num_workers < 1:
            raise InvalidRulesError("time limit and number of workers must be positive")
        if self.shortfall_penalty is not None and self.shortfall_penalty < 0:
            raise InvalidRulesError("shortfall_penalty must not be negative")


@dataclass(frozen=True)
class Proposal:
    """A proposed meeting; reasons are written for each side."""

    a: str
    b: str
    score: float
    is_mutual: bool
    reasons_for_a: tuple[Reason, ...] = ()
    reasons_for_b: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "is_mutual": self.is_mutual,
            "reasons_for_a": [r.to_dict() for r in self.reasons_for_a],
            "reasons_for_b": [r.to_dict() for r in self.reasons_for_b],
        }


@dataclass(frozen=True)
class Shortfall:
    participant_id: str
    minimum: int
    proposed: int

    @property
    def missing(self) -> int:
        return self.minimum - self.proposed


@dataclass(frozen=True)
class AutomatchResult:
    """``status`` is one of optimal, feasible, infeasible, unknown (no solution in time)."""

    status: str
    proposals: tuple[Proposal, ...]
    total_score: float
    objective: float | None
    bound: float | None
    shortfalls: tuple[Shortfall, ...]
    seconds: float
    candidate_pairs: int

    def meetings_of(self, participant_id: str) -> int:
        return sum(participant_id in (p.a, p.b) for p in self.proposals)


@dataclass(frozen=True)
class _Instance:
    """Everything the model needs, validated and indexed before any variable exists."""

    ids: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]
    weights: tuple[int, ...]
    candidates: tuple[CandidatePair, ...]
    minimum: tuple[int, ...]
    maximum: tuple[int, ...]
    penalty: int


def _targets(value: Targets, ids: Sequence[str], name: str) -> tuple[int, ...]:
    if isinstance(value, int):
        result = tuple(value for _ in ids)
    else:
        unknown = set(value) - set(ids)
        if unknown:
            raise UnknownParticipantError(f"{name} names unknown participants: {sorted(unknown)}")
        result = tuple(int(value.get(i, 0)) for i in ids)
    if any(v < 0 for v in result):
        raise InvalidRulesError(f"{name} must not be negative")
    return result


def _prepare(
    candidates: Sequence[CandidatePair],
    participant_ids: Sequence[str],
    min_meetings: Targets,
    max_meetings: Targets,
    rules: MatchingRules | None,
    settings: AutomatchSettings,
) -> _Instance:
    ids = tuple(dict.fromkeys(participant_ids))
    index = {pid: i for i, pid in enumerate(ids)}
    minimum = _targets(min_meetings, ids, "min_meetings")
    # A participant absent from a max mapping has no meetings to give away.
    maximum = _targets(max_meetings, ids, "max_meetings")
    too_many = [ids[i] for i in range(len(ids)) if minimum[i] > maximum[i]]
    if too_many:
        raise InvalidRulesError(f"minimum above maximum for {too_many[:5]}")
    excluded = rules.excluded_pairs if rules else frozenset()
    pairs: dict[tuple[int, int], CandidatePair] = {}
    for c in candidates:
        if c.a not in index or c.b not in index:
            raise UnknownParticipantError(f"candidate pair ({c.a}, {c.b}) names an unknown id")
        if c.a == c.b or frozenset((c.a, c.b)) in excluded or c.score <= 0:
            continue
        key = (min(index[c.a], index[c.b]), max(index[c.a], index[c.b]))
        if key not in pairs or pairs[key].score < c.score:
            pairs[key] = c
    keys = tuple(pairs)
    weights = tuple(max(1, round(pairs[k].score * settings.score_scale)) for k in keys)
    if settings.shortfall_penalty is None:
        penalty = sum(weights) + 1
    else:
        penalty = round(settings.shortfall_penalty * settings.score_scale)
    return _Instance(ids, keys, weights, tuple(pairs[k] for k in keys), minimum, maximum, penalty)


class _AutomatchModel:
    def __init__(self, instance: _Instance) -> None:
        self.instance = instance
        self.model = cp_model.CpModel()
        self.meet: dict[tuple[int, int], cp_model.IntVar] = {}
        self.short: dict[int, cp_model.IntVar] = {}
        self._add_variables()
        self._add_meeting_bounds()
        self._add_objective()

    def _add_variables(self) -> None:
        for i, j in self.instance.pairs:
            self.meet[i, j] = self.model.new_bool_var(f"meet_{i}_{j}")
        for p, low in enumerate(self.instance.minimum):
            if low > 0:
                self.short[p] = self.model.new_int_var(0, low, f"short_{p}")

    def _add_meeting_bounds(self) -> None:
        incident: list[list[cp_model.IntVar]] = [[] for _ in self.instance.ids]
        for (i, j), var in self.meet.items():
            incident[i].append(var)
            incident[j].append(var)
        for p, variables in enumerate(incident):
            if variables:
                self.model.add(sum(variables) <= self.instance.maximum[p])
            if p in self.short:
                self.model.add(sum(variables) + self.short[p] >= self.instance.minimum[p])

    def _add_objective(self) -> None:
        gain = sum(
            w * self.meet[k]
            for k, w in zip(self.instance.pairs, self.instance.weights, strict=True)
        )
        loss = sum(self.instance.penalty * s for s in self.short.values())
        self.model.maximize(gain - loss)

    def solve(self, settings: AutomatchSettings) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = settings.time_limit_s
        solver.parameters.num_workers = settings.num_workers
        solver.parameters.random_seed = settings.random_seed
        status = solver.solve(self.model)
        return solver, int(status)


def solve_automatch(
    candidates: Sequence[CandidatePair],
    participant_ids: Sequence[str],
    min_meetings: Targets,
    max_meetings: Targets,
    rules: MatchingRules | None = None,
    settings: AutomatchSettings | None = None,
) -> AutomatchResult:
    """Choose meetings among ``candidates`` maximising total score within per-person targets.

    Candidates are assumed to respect the organiser's type, group and border rules (the
    :class:`Matchmaker` only produces allowed pairs); ``rules.excluded_pairs`` is applied
    here as well because it is the rule most likely to change between two runs.
    """
    settings = settings or AutomatchSettings()
    started = time.perf_counter()
    instance = _prepare(candidates, participant_ids, min_meetings, max_meetings, rules, settings)
    model = _AutomatchModel(instance)
    solver, status = model.solve(settings)
    scale = settings.score_scale
    if status == cp_model.MODEL_INVALID:
        raise SolverError(f"CP-SAT rejected the model: {model.model.validate()}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # INFEASIBLE cannot happen (no meetings is always allowed); UNKNOWN is a timeout.
        name = "infeasible" if status == cp_model.INFEASIBLE else "unknown"
        return AutomatchResult(
            name, (), 0.0, None, None, (), time.perf_counter() - started, len(instance.pairs)
        )
    chosen = [
        number for number, key in enumerate(instance.pairs) if solver.boolean_value(model.meet[key])
    ]
    proposals = tuple(
        Proposal(c.a, c.b, c.score, c.is_mutual)
        for c in sorted(
            (instance.candidates[number] for number in chosen),
            key=lambda c: (-c.score, c.a, c.b),
        )
    )
    degree = [0] * len(instance.ids)
    for i, j in (instance.pairs[number] for number in chosen):
        degree[i] += 1
        degree[j] += 1
    shortfalls = tuple(
        Shortfall(instance.ids[p], instance.minimum[p], degree[p])
        for p in range(len(instance.ids))
        if degree[p] < instance.minimum[p]
    )
    return AutomatchResult(
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        proposals=proposals,
        total_score=sum(p.score for p in proposals),
        objective=solver.objective_value / scale,
        bound=solver.best_objective_bound / scale,
        shortfalls=shortfalls,
        seconds=time.perf_counter() - started,
        candidate_pairs=len(instance.pairs),
    )


def automatch(
    profiles: Sequence[ParticipantProfile],
    rules: MatchingRules | None = None,
    *,
    min_meetings: Targets = 0,
    max_meetings: Targets = 10,
    candidates_per_participant: int = 20,
    weights: ScoringWeights | None = None,
    labels: Mapping[str, str] | None = None,
    settings: AutomatchSettings | None = None,
) -> AutomatchResult:
    """Score the population, keep each participant's top candidates, propose meetings.

    Proposals carry reasons for both sides so a participant sees why the organiser's
    auto-match put them together.
    """
    matchmaker = Matchmaker(profiles, rules, weights, labels)
    candidates = matchmaker.candidate_pairs(candidates_per_participant)
    result = solve_automatch(
        candidates,
        [p.participant_id for p in matchmaker.profiles],
        min_meetings,
        max_meetings,
        rules,
        settings,
    )
    for_a = matchmaker.explain_many([(p.a, p.b) for p in result.proposals])
    for_b = matchmaker.explain_many([(p.b, p.a) for p in result.proposals])
    explained = tuple(
        Proposal(p.a, p.b, p.score, p.is_mutual, reasons_for_a=ra, reasons_for_b=rb)
        for p, ra, rb in zip(result.proposals, for_a, for_b, strict=True)
    )
    return AutomatchResult(
        status=result.status,
        proposals=explained,
        total_score=result.total_score,
        objective=result.objective,
        bound=result.bound,
        shortfalls=result.shortfalls,
        seconds=result.seconds,
        candidate_pairs=result.candidate_pairs,
    )
