"""The package's public names load on first use, and the SAT children start light."""

from __future__ import annotations

from importlib import import_module

import pytest

import scheduler.meetings as meetings
from tests.scheduler.fresh import printed_by


def test_every_public_name_resolves_to_its_defining_module() -> None:
    assert sorted(meetings.__all__) == sorted(meetings._MODULE_OF)
    for name in meetings.__all__:
        home = import_module(f"scheduler.meetings.{meetings._MODULE_OF[name]}")
        assert getattr(meetings, name) is getattr(home, name)
    assert set(meetings.__all__) <= set(dir(meetings))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = meetings.nothing_here  # type: ignore[attr-defined]


def test_the_sat_children_start_without_or_tools() -> None:
    """``python -m scheduler.meetings.maxsat`` / ``zero_break`` import only what they use:
    OR-Tools (the CP-SAT models) took most of a child's start."""
    code = (
        "import sys, scheduler.meetings.maxsat, scheduler.meetings.zero_break; "
        "print(sorted(m for m in ('ortools', 'scheduler.meetings.solving') if m in sys.modules))"
    )
    assert printed_by(code) == "[]"
    # ... while the package's solve() still brings the solver in.
    code = "import sys; from scheduler.meetings import solve; print('ortools' in sys.modules)"
    assert printed_by(code) == "True"
