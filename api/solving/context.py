"""The job kinds: each handler builds a domain instance from the database, calls one
domain function, and stages its results in the session (the caller commits)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api.models import Job

ReportFn = Callable[..., None]


@dataclass
class JobContext:
    job: Job
    cancel: threading.Event
    report: ReportFn


Handler = Callable[[JobContext], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register
