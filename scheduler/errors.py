"""Exception root of the scheduler package.

The API layer maps these to HTTP answers; the scheduler itself never knows about HTTP.
"""


class SchedulerError(Exception):
    """Base class of every error raised on purpose by ``scheduler``."""
