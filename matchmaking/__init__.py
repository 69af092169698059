"""Matchmaking for cluster events: profiles in, explained recommendations and proposals out.

Plain Python (numpy, scipy, scikit-learn, OR-Tools); no web, queue or database code.
"""

from matchmaking.automatch import (
    AutomatchResult,
    AutomatchSettings,
    Proposal,
    Shortfall,
    automatch,
    solve_automatch,
)
from matchmaking.errors import (
    InvalidProfileError,
    InvalidRulesError,
    MatchmakingError,
    SolverError,
    UnknownParticipantError,
)
from matchmaking.feedback import RequestOutcome
from matchmaking.profiles import (
    Opportunity,
    OpportunityKind,
    OrganisationType,
    ParticipantProfile,
)
from matchmaking.reasons import Reason, ReasonKind, ReasonSettings
from matchmaking.recommend import (
    CandidatePair,
    Matchmaker,
    Recommendation,
    ScoreBreakdown,
    recommend,
    recommend_for,
)
from matchmaking.rules import MatchingRules, PairSide
from matchmaking.scoring import ScoringWeights

__all__ = [
    "AutomatchResult",
    "AutomatchSettings",
    "CandidatePair",
    "InvalidProfileError",
    "InvalidRulesError",
    "MatchingRules",
    "Matchmaker",
    "MatchmakingError",
    "Opportunity",
    "OpportunityKind",
    "OrganisationType",
    "PairSide",
    "ParticipantProfile",
    "Proposal",
    "Reason",
    "ReasonKind",
    "ReasonSettings",
    "Recommendation",
    "RequestOutcome",
    "ScoreBreakdown",
    "ScoringWeights",
    "Shortfall",
    "SolverError",
    "UnknownParticipantError",
    "automatch",
    "recommend",
    "recommend_for",
    "solve_automatch",
]
