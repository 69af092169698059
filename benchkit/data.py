"""Where the shared benchmark data lives: ``shared/`` beside the repository.

``CLUSTERMEET_SHARED_DIR`` overrides it, for an installed package or another layout. A clone
made elsewhere on the same machine (``git clone /work/main /tmp/fresh``) finds the data
beside the repository it was cloned from, read from its ``origin`` remote.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent

_ORIGIN_URL = re.compile(r'\[remote "origin"\][^\[]*?^\s*url\s*=\s*(\S+)', re.MULTILINE)


def _origin_checkout(repository: Path) -> Path | None:
    """The local repository ``repository`` was cloned from, if any."""
    try:
        config = (repository / ".git" / "config").read_text(encoding="utf-8")
    except OSError:
        return None
    found = _ORIGIN_URL.search(config)
    if found is None:
        return None
    origin = Path(found.group(1).removeprefix("file://"))
    return origin if origin.is_absolute() else None


def shared_dir(repository: Path = REPOSITORY) -> Path:
    configured = os.environ.get("CLUSTERMEET_SHARED_DIR")
    if configured:
        return Path(configured)
    beside = repository.parent / "shared"
    if beside.is_dir():
        return beside
    origin = _origin_checkout(repository)
    if origin is not None and (origin.parent / "shared").is_dir():
        return origin.parent / "shared"
    return beside


def b2b_instances_dir() -> Path:
    return shared_dir() / "benchmarks" / "b2b-jair2022" / "instances"


def b2b_reference_csv() -> Path:
    return shared_dir() / "benchmarks" / "b2b-jair2022" / "reference-results-d2.csv"


def pyconuk_talks_file() -> Path:
    return shared_dir() / "benchmarks" / "pyconuk-2016" / "talks.yml"
