"""Both journeys in a real Chromium against a live server on loopback.

Two participants register through the form, a third joins one's organisation (pending);
each form answers "check your mail", and people sign in with the links the app mails to a
real SMTP server on loopback (at registration, or asked for on the sign-in page); one
approves her colleague, then asks the other for a meeting from her recommendations; the other
accepts in the inbox; the organiser solves, reviews the draft and publishes; she sees the
meeting in her agenda, in the calendar file and through her calendar subscription.
Every page: no console error, screenshots at desktop and phone widths, axe passes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from api.extensions import db
from tests.api.conftest import Caller
from tests.api.notifications.conftest import app, smtp, wait_for_mail
from tests.api.web.browser import (
    CHROMEDRIVER,
    CHROMIUM,
    check_page,
    chromium,
    fill,
    wait_for,
    wait_for_text,
)
from tests.mail_server import SmtpServer
from tests.pages.browser import live_server

__all__ = ["app", "smtp"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
        reason="chromium and chromedriver are not installed",
    ),
]


def _set_up_event(driver: WebDriver, server: str, organiser: Caller) -> int:
    """The organiser creates the event and its tables in the browser."""
    _sign_in(driver, server, organiser.token)
    driver.get(server + "/")
    driver.find_element(By.CSS_SELECTOR, 'a[href="/events/new"]').click()
    wait_for(driver, "#slug")
    fill(
        driver,
        {
            "name": "Clusters meet Regions",
            "slug": "clusters-meet-regions",
            "venue": "Square, Brussels",
            "timezone": "Europe/Brussels",
            "meeting_settings-meeting_length_min": "30",
            "meeting_settings-blocks": "2027-03-10 09:30-12:30\n2027-03-10 14:00-17:30",
        },
    )
    for element_id, day in (("start_date", "03102027"), ("end_date", "03112027")):
        driver.find_element(By.ID, element_id).send_keys(day)  # typed as a person would
    check_page(driver, "organiser-new-event")
    driver.find_element(By.XPATH, "//button[normalize-space(.)='Save']").click()
    wait_for(driver, "#table-count").send_keys("2")
    driver.find_element(By.XPATH, "//button[normalize-space(.)='Add']").click()
    wait_for_text(driver, "main", "2 tables added.")
    event_id = int(driver.current_url.rstrip("/").split("/")[-2])
    return event_id


def _add_taxonomy(client: FlaskClient, organiser: Caller, event_id: int) -> None:
    """Tags have no page yet: the organiser adds them through the API."""
    for slug, label in (("batteries", "Batteries"), ("hydrogen", "Hydrogen")):
        answer = client.post(
            f"/api/v1/events/{event_id}/tags",
            json={"slug": slug, "label": label, "kind": "sector"},
            headers=organiser.headers,
        )
        assert answer.status_code == 201, answer.json
    db.session.rollback()  # hold no SQLite lock while the server's threads write


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    with live_server(app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    with chromium() as driver:
        yield driver


def _register(driver: WebDriver, server: str, event_id: int, who: dict[str, str]) -> None:
    """Register through the form from the home page: the page says "check your mail"."""
    driver.delete_all_cookies()
    driver.get(server + "/")
    driver.find_element(By.CSS_SELECTOR, f'a[href="/events/{event_id}/register"]').click()
    wait_for(driver, "#first_name")
    fill(
        driver,
        {
            "first_name": who["first_name"],
            "last_name": who["last_name"],
            "email": who["email"],
            "organisation-name": who["organisation"],
            "organisation-country": who["country"],
            "offer-title": who["offer"],
            "request-title": who["request"],
        },
    )
    Select(driver.find_element(By.ID, "organisation-type")).select_by_value("sme")
    driver.find_element(By.CSS_SELECTOR, f'input[name="interests"][value="{who["tag"]}"]').click()
    driver.find_element(By.CSS_SELECTOR, 'input[name="consent"]').click()
    check_page(driver, f"register-{who['first_name'].lower()}")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert who["email"] in wait_for(driver, "#check-mail").text
    assert not driver.find_elements(By.XPATH, "//button[normalize-space(.)='Sign out']")
    check_page(driver, f"check-mail-{who['first_name'].lower()}")


def _join(driver: WebDriver, server: str, event_id: int, organisation: str) -> None:
    """Carla registers joining an organisation a colleague registered: it waits."""
    driver.delete_all_cookies()
    driver.get(f"{server}/events/{event_id}/register")
    fill(
        driver,
        {"first_name": "Carla", "last_name": "Etxeberria", "email": "carla@basque.example.es"},
    )
    Select(driver.find_element(By.ID, "organisation_id")).select_by_visible_text(organisation)
    driver.find_element(By.CSS_SELECTOR, 'input[name="consent"]').click()
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "Basque Energy Cluster" in wait_for(driver, "#membership-pending").text
    check_page(driver, "check-mail-carla-pending")


def _sign_in(driver: WebDriver, server: str, secret: str) -> None:
    driver.delete_all_cookies()
    driver.get(server + "/signin")
    fill(driver, {"secret": secret})
    driver.find_element(By.ID, "sign-in-secret").click()
    wait_for_text(driver, "main", "You are signed in.")


def _open_mailed_link(
    driver: WebDriver, server: str, app: Flask, smtp: SmtpServer, email: str, page: str = ""
) -> None:
    """Open the newest sign-in link mailed to the address and confirm it: signed in.
    ``page``: check the link's page under this name (once is enough)."""
    wait_for_mail(app)
    links = []
    for mail in smtp.to(email):
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        links += re.findall(r"https?://\S+?(/sign-in/\S+)", body.get_content())
    assert links, "a mail holds a sign-in link"
    driver.get(server + links[-1])
    if page:
        check_page(driver, page)
    driver.find_element(By.ID, "confirm-sign-in").click()
    wait_for_text(driver, "main", "You are signed in.")


def _sign_in_by_link(
    driver: WebDriver, server: str, app: Flask, smtp: SmtpServer, email: str, page: str = ""
) -> None:
    """Sign out, ask for a link on the sign-in page, open the mailed link, confirm."""
    driver.find_element(By.XPATH, "//button[normalize-space(.)='Sign out']").click()
    wait_for_text(driver, "main", "You are signed out.")
    driver.find_element(By.LINK_TEXT, "Sign in").click()
    fill(driver, {"email": email})
    if page:
        check_page(driver, page)
    driver.find_element(By.ID, "send-link").click()
    wait_for_text(driver, "main", "a sign-in link is on its way")
    _open_mailed_link(driver, server, app, smtp, email)


def test_participants_meet_and_the_organiser_publishes(
    app: Flask,
    smtp: SmtpServer,
    client: FlaskClient,
    organiser: Caller,
    server: str,
    browser: WebDriver,
) -> None:
    event_id = _set_up_event(browser, server, organiser)
    _add_taxonomy(client, organiser, event_id)
    browser.get(server + "/")
    check_page(browser, "home")
    browser.get(f"{server}/events/{event_id}")
    check_page(browser, "event")

    _register(
        browser,
        server,
        event_id,
        {
            "first_name": "Ben",
            "last_name": "Laurent",
            "email": "ben@lyon-h2.example.fr",
            "organisation": "Lyon Hydrogen",
            "country": "FR",
            "offer": "Hydrogen storage tanks",
            "request": "Pilot sites for hydrogen refuelling",
            "tag": "hydrogen",
        },
    )
    # Ben opens the link his registration mail holds: signed in, on his agenda.
    _open_mailed_link(browser, server, app, smtp, "ben@lyon-h2.example.fr", "sign-in-link")
    assert browser.current_url.endswith(f"/events/{event_id}/me/agenda")
    _register(
        browser,
        server,
        event_id,
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "ana@basque-energy.example.es",
            "organisation": "Basque Energy Cluster",
            "country": "ES",
            "offer": "Wind blade recycling",
            "request": "Hydrogen storage tanks for our pilot",
            "tag": "batteries",
        },
    )

    # Carla joins Ana's organisation: the join waits for a colleague's approval.
    _join(browser, server, event_id, "Basque Energy Cluster (ES)")

    # Ana signs in with the link her registration mail holds; she lands on her agenda.
    _open_mailed_link(browser, server, app, smtp, "ana@basque-energy.example.es")
    assert browser.current_url.endswith(f"/events/{event_id}/me/agenda")

    browser.find_element(By.LINK_TEXT, "My profile").click()
    assert "Carla Etxeberria" in wait_for(browser, "#colleagues").find_element(By.XPATH, "..").text
    check_page(browser, "profile-ana")
    browser.find_element(By.XPATH, "//button[@aria-label='Approve Carla Etxeberria']").click()
    wait_for_text(browser, "main", "Carla Etxeberria is now a member of Basque Energy Cluster.")

    # Ana, still signed in, browses the marketplace, then asks Ben from her recommendations.
    browser.get(f"{server}/events/{event_id}/marketplace")
    assert "Hydrogen storage tanks" in wait_for(browser, "#results").text
    check_page(browser, "marketplace")
    browser.get(f"{server}/events/{event_id}/recommendations")
    card = browser.find_element(By.XPATH, "//li[.//h2[text()='Ben Laurent']]")
    assert card.find_elements(By.CSS_SELECTOR, "ul.reasons li"), "a recommendation says why"
    check_page(browser, "recommendations")
    card = browser.find_element(By.XPATH, "//li[.//h2[text()='Ben Laurent']]")
    card.find_element(By.TAG_NAME, "summary").click()
    card.find_element(By.TAG_NAME, "textarea").send_keys("Could your tanks fit our pilot?")
    card.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, "main", "Request sent.")
    check_page(browser, "inbox-ana")

    # Ben asks for a new sign-in link on the sign-in page, signs in and accepts.
    _sign_in_by_link(browser, server, app, smtp, "ben@lyon-h2.example.fr", "sign-in")
    browser.get(f"{server}/events/{event_id}/requests")
    assert "Could your tanks fit our pilot?" in browser.page_source
    check_page(browser, "inbox-ben")
    browser.find_element(By.XPATH, "//button[starts-with(normalize-space(.), 'Accept')]").click()
    wait_for_text(browser, "main", "Accepted: the meeting will be scheduled.")

    # The organiser solves, watches the job, reviews the draft and publishes it.
    _sign_in(browser, server, organiser.token)
    browser.get(server + "/")
    browser.find_element(By.CSS_SELECTOR, f'a[href="/events/{event_id}/organise"]').click()
    wait_for(browser, "#job-kind")
    check_page(browser, "organiser-dashboard")
    fill(browser, {"time-limit": "5"})
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Start solving']").click()
    wait_for(browser, "#job-status")
    review = wait_for(browser, "#review-draft")  # appears once htmx polling sees the end
    check_page(browser, "organiser-job")
    review.click()
    wait_for(browser, "#publish")
    check_page(browser, "organiser-review")
    browser.find_element(By.ID, "publish").click()
    wait_for_text(browser, "main", "is published")
    assert browser.find_element(By.ID, "version-status").text == "published"
    for page, ready in (
        ("day", "#meeting-1"),
        ("programme", "#room-name"),
        ("import", "#file"),
        ("settings", "#slug"),
        ("webhooks", "#webhook-url"),
        ("team", "#member-email"),
    ):
        browser.get(f"{server}/events/{event_id}/organise/{page}")
        wait_for(browser, ready)
        check_page(browser, f"organiser-{page}")

    # Ana, signed in by a new link, sees the meeting in her agenda and calendar file.
    _sign_in_by_link(browser, server, app, smtp, "ana@basque-energy.example.es")
    ana_session = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    browser.get(f"{server}/events/{event_id}/me/agenda")
    agenda = wait_for(browser, "table.agenda").text
    assert "Ben Laurent" in agenda and "Lyon Hydrogen" in agenda
    check_page(browser, "agenda-ana")
    calendar = requests.get(
        f"{server}/events/{event_id}/me/agenda.ics", cookies=ana_session, timeout=30
    )
    assert calendar.status_code == 200
    assert "BEGIN:VEVENT" in calendar.text and "Ben Laurent" in calendar.text
    # ...and through the subscription address her calendar app keeps (no cookie needed).
    feed = browser.find_element(By.ID, "calendar-url").get_attribute("value") or ""
    assert browser.find_element(By.ID, "subscribe-calendar").get_attribute("href") == (
        "webcal://" + feed.split("://", 1)[1]
    )
    subscribed = requests.get(server + urlsplit(feed).path, timeout=30)
    assert subscribed.status_code == 200 and "Ben Laurent" in subscribed.text
