"""Rendering pages in a real headless Chromium against a real local server."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pages"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
# Console messages and uncaught errors, as Chromium logs them with --enable-logging=stderr.
CONSOLE_PROBLEM = re.compile(r"Uncaught|:CONSOLE\(|Failed to load resource", re.IGNORECASE)


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@dataclass(frozen=True)
class Rendered:
    screenshot: Path
    console_problems: list[str]


def render(url: str, name: str, width: int = 1200, height: int = 1600) -> Rendered:
    """Load ``url`` in headless Chromium, store a screenshot, return console problems."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        completed = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                f"--window-size={width},{height}",
                f"--screenshot={target}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    problems = [line for line in completed.stderr.splitlines() if CONSOLE_PROBLEM.search(line)]
    assert target.exists(), completed.stderr[-2000:]
    return Rendered(target, problems)
