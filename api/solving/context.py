"""What a job handler receives: the job row, a cancel flag and a progress callback."""

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
