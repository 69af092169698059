"""Rendering pages in a real headless Chromium against a real local server."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from tests.api.web.browser import console_problems

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pages"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        # shutdown() waits for the loop to look again: every 0.5 s by default.
        target=server.serve_forever,
        kwargs={"poll_interval": 0.02},
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@dataclass(frozen=True)
class Rendered:
    screenshot: Path
    console_problems: list[str]


def render(
    driver: WebDriver, url: str, name: str, width: int = 1200, height: int = 1600
) -> Rendered:
    """Load ``url`` in the shared headless Chromium at this window size, store a
    screenshot, return what the page logged as errors (failed loads included)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    target.unlink(missing_ok=True)
    console_problems(driver)  # what an earlier page logged is not this page's
    driver.set_window_size(width, height)
    driver.get(url)
    driver.save_screenshot(str(target))
    assert target.exists()
    # The browser asks for /favicon.ico by itself; these pages link nothing at all.
    logged = [line for line in console_problems(driver) if "/favicon.ico " not in line]
    return Rendered(target, logged)
