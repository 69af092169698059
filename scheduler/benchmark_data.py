"""Where the shared benchmark data lives: ``shared/`` beside the repository.

``CLUSTERMEET_SHARED_DIR`` overrides it, for an installed package or another layout.
"""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    configured = os.environ.get("CLUSTERMEET_SHARED_DIR")
    if configured:
        return Path(configured)
    return REPOSITORY.parent / "shared"


def b2b_instances_dir() -> Path:
    return shared_dir() / "benchmarks" / "b2b-jair2022" / "instances"


def b2b_reference_csv() -> Path:
    return shared_dir() / "benchmarks" / "b2b-jair2022" / "reference-results-d2.csv"


def pyconuk_talks_file() -> Path:
    return shared_dir() / "benchmarks" / "pyconuk-2016" / "talks.yml"
