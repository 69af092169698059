"""Run a snippet in a fresh interpreter: what a module imports shows only there."""

from __future__ import annotations

import subprocess
import sys


def printed_by(code: str) -> str:
    """What ``code`` prints, run by ``python -c`` in a new process."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return out.stdout.strip()
