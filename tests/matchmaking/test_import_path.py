"""The recommender's import path holds no benchmark or demo tooling."""

from __future__ import annotations

import subprocess
import sys


def test_importing_matchmaking_loads_no_benchmark_tooling() -> None:
    code = (
        "import sys, matchmaking; "
        "print(sorted(m for m in sys.modules if m.startswith('benchkit') "
        "or m.startswith('flask') or m.startswith('celery') or m.startswith('sqlalchemy')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert loaded == "[]"
