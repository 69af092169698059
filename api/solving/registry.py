"""The job kinds and their handlers, listed explicitly.

Each handler builds a domain instance from the database, calls one domain function and
stages its results in the session; ``api/solving/execute.py`` commits them with the job's
success. A kind not listed here cannot be started (``POST /jobs`` answers 422).

There is no ``recommendations`` kind: recommendations are computed when a participant
reads them (``GET .../recommendations``), from the current profiles, so there is nothing
to precompute (docs/decisions.md).
"""

from __future__ import annotations

from api.models.enums import JobKind
from api.solving.context import Handler
from api.solving.handlers.agenda import run_agenda_job
from api.solving.handlers.automatch import run_automatch_job
from api.solving.handlers.meetings import run_meetings_job

HANDLERS: dict[str, Handler] = {
    JobKind.MEETINGS: run_meetings_job,
    JobKind.AGENDA: run_agenda_job,
    JobKind.AUTOMATCH: run_automatch_job,
}
