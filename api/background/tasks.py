"""The registry of background tasks: name -> function of one row id."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar


class RetryLater(Exception):
    """A passing failure (server busy, connection refused): run the task again later."""


TaskFn = Callable[[int], object]
TASKS: dict[str, TaskFn] = {}


F = TypeVar("F", bound=TaskFn)


def background_task(name: str) -> Callable[[F], F]:
    def register(function: F) -> F:
        TASKS[name] = function
        return function

    return register


def backoff_s(attempt: int, base_s: float, cap_s: float) -> float:
    """Seconds to wait before try ``attempt + 1`` after ``attempt`` failures."""
    return float(min(cap_s, base_s * 2 ** max(0, attempt - 1)))
