"""Benchmark and demo tooling stays out of the domain packages' import path."""

from __future__ import annotations

from tests.scheduler.fresh import printed_by


def test_importing_the_schedulers_imports_no_benchmark_tooling() -> None:
    code = (
        "import sys, scheduler.meetings, scheduler.agenda, scheduler.meetings.solving, "
        "scheduler.agenda.solve; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'benchkit'))"
    )
    assert printed_by(code) == "[]"


def test_benchkit_still_reaches_what_it_measures() -> None:
    code = (
        "import sys, benchkit.meetings.bench, benchkit.agenda.peer_benchmark, benchkit.data; "
        "print('scheduler.meetings.solving' in sys.modules)"
    )
    assert printed_by(code) == "True"
