"""The registry of background tasks: name -> function of one row id."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar


class RetryLater(Exception):
    """A passing failure (server busy, connection refused): run the task again later,
    after ``delay_s`` seconds if the task knows best, else after the backend's backoff."""

    def __init__(self, message: str, delay_s: float | None = None) -> None:
        super().__init__(message)
        self.delay_s = delay_s


TaskFn = Callable[[int], object]
TASKS: dict[str, TaskFn] = {}
# name -> the ids of rows still waiting, so the embedded thread resumes them after a
# restart (Celery keeps its own messages).
PENDING: dict[str, Callable[[], list[int]]] = {}


F = TypeVar("F", bound=TaskFn)


def background_task(name: str, pending: Callable[[], list[int]] | None = None) -> Callable[[F], F]:
    def register(function: F) -> F:
        TASKS[name] = function
        if pending is not None:
            PENDING[name] = pending
        return function

    return register


def backoff_s(attempt: int, base_s: float, cap_s: float) -> float:
    """Seconds to wait before try ``attempt + 1`` after ``attempt`` failures."""
    return float(min(cap_s, base_s * 2 ** max(0, attempt - 1)))
