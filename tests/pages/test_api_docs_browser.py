"""The interactive API docs render in a real browser that can reach nothing but the app."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.pages.browser import CHROMIUM, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
]


@pytest.fixture
def server(sqlite_app: Flask) -> Iterator[str]:
    with live_server(sqlite_app) as url:
        yield url


def test_swagger_ui_renders_every_operation_offline(server: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        completed = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                f"--user-data-dir={profile}",
                # Every host but the app's own fails to resolve: no internet at all.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                # Let the page load the OpenAPI document and render it before the dump.
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"{server}/api/docs",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    dom = completed.stdout
    assert "swagger-ui" in dom, completed.stderr[-2000:]
    # One block per operation, e.g. "/api/v1/events/{event_id}/schedule.xml".
    paths = set(re.findall(r'data-path="([^"]+)"', dom))
    assert "/api/v1/events/{event_id}/schedule.xml" in paths
    assert "/api/v1/events/{event_id}/exports/report.xlsx" in paths
    assert len(paths) > 40
