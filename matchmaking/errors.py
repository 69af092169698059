"""The single exception root of the matchmaking package.

The API maps these to HTTP answers; the domain never knows about HTTP.
"""


class MatchmakingError(Exception):
    """Root of every error raised by :mod:`matchmaking`."""


class InvalidProfileError(MatchmakingError):
    """A participant profile or opportunity breaks an invariant (unknown type, bad country)."""


class InvalidRulesError(MatchmakingError):
    """Organiser rules or solver settings that cannot be applied."""


class UnknownParticipantError(MatchmakingError):
    """A participant id that is not part of the population being matched."""


class SolverError(MatchmakingError):
    """CP-SAT rejected the auto-matching model, which is a bug rather than bad input."""
