"""A real Chromium driven by Selenium for the web app's journeys: console errors,
screenshots at desktop and phone widths, and an axe accessibility check on each page."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
DESKTOP = (1280, 800)
PHONE = (390, 844)
BLOCKING_IMPACTS = {"serious", "critical"}


@contextmanager
def chromium() -> Iterator[WebDriver]:
    """A headless Chromium with a fresh profile that reaches nothing but loopback."""
    with tempfile.TemporaryDirectory() as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


def console_problems(driver: WebDriver) -> list[str]:
    """Errors the page logged (or threw) since the last call."""
    return [
        f"{entry['level']}: {entry['message']}"
        for entry in driver.get_log("browser")
        if entry["level"] in ("SEVERE", "ERROR")
    ]


def accessibility_problems(driver: WebDriver) -> list[str]:
    axe = Axe(driver)
    axe.inject()
    results: dict[str, Any] = axe.run()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def check_page(driver: WebDriver, name: str) -> None:
    """Screenshots at both widths, no console error, no serious accessibility problem."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
        driver.set_window_size(width, height)
        driver.save_screenshot(str(ARTIFACTS / f"{name}-{label}.png"))
        problems = accessibility_problems(driver)
        assert problems == [], f"{name} at {label} width: {problems}"
    driver.set_window_size(*DESKTOP)
    logged = console_problems(driver)
    assert logged == [], f"{name}: {logged}"


def wait_for(driver: WebDriver, css: str, timeout: float = 120) -> Any:
    """Wait for an element (a condition, not a duration: the timeout only ends a hang)."""
    return WebDriverWait(driver, timeout).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def wait_for_text(driver: WebDriver, css: str, text: str, timeout: float = 120) -> None:
    """Wait until an element holds ``text`` (a page that is still the old one does not)."""

    def holds(driver: WebDriver) -> bool:
        try:
            return text in driver.find_element(By.CSS_SELECTOR, css).text
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        except WebDriverException as error:
            # Read just as the page is replaced: Chromium reports the old page's element as
            # "Node with given id does not belong to the document" (seen once in CI).
            if "does not belong to the document" in (error.msg or ""):
                return False
            raise

    WebDriverWait(driver, timeout).until(holds)


def fill(driver: WebDriver, values: dict[str, str]) -> None:
    for element_id, value in values.items():
        field = driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(value)
