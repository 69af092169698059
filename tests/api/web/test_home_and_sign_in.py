"""The public pages and the sign-in seam, through Flask's test client."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.conftest import Caller
from tests.api.web.forms import csrf_of, sign_in


def test_home_lists_events_open_for_registration(client: FlaskClient, event_factory: Any) -> None:
    open_event = event_factory(name="Battery Days")
    closed = event_factory(name="Closed Forum", registration_closes_dt="2020-01-01T00:00:00Z")
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "Battery Days" in page.text
    assert f"/events/{open_event['id']}/register" in page.text
    assert "Closed Forum" not in page.text
    assert client.get(f"/events/{closed['id']}").status_code == 200


def test_pages_follow_accept_language(client: FlaskClient, event: dict[str, Any]) -> None:
    page = client.get(f"/events/{event['id']}", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in page.text
    assert "Anmelden" in page.text


def test_event_page_offers_registration_and_missing_event_is_an_html_404(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    page = client.get(f"/events/{event['id']}")
    assert event["name"] in page.text
    assert f"/events/{event['id']}/register" in page.text
    missing = client.get("/events/999999")
    assert missing.status_code == 404
    assert missing.content_type.startswith("text/html")
    assert "Event not found" in missing.text


def test_sign_in_with_a_participant_token_then_sign_out(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    ana: Caller = participant_factory()
    sign_in(client, ana.token)
    page = client.get(f"/events/{event['id']}")
    assert "Sign out" in page.text
    assert ana.token not in client.get_cookie("session").value  # type: ignore[union-attr]
    token = csrf_of(client, f"/events/{event['id']}")
    client.post("/signout", data={"csrf_token": token})
    assert "Sign out" not in client.get(f"/events/{event['id']}").text


def test_a_wrong_secret_is_refused_and_a_form_without_csrf_is_a_400(client: FlaskClient) -> None:
    token = csrf_of(client, "/signin")
    wrong = client.post("/signin", data={"csrf_token": token, "secret": "cmp_nobody"})
    assert wrong.status_code == 401
    assert "not valid" in wrong.text
    forged = client.post("/signin", data={"secret": "cmp_nobody"})
    assert forged.status_code == 400


def test_the_api_reads_with_the_browser_session_but_never_writes(
    client: FlaskClient, event: dict[str, Any], participant_factory: Any
) -> None:
    """One browser session: the API may read with it (GET), but a write needs the Bearer
    token, since the API checks no CSRF token."""
    ana: Caller = participant_factory()
    sign_in(client, ana.token)
    me = f"/api/v1/events/{event['id']}/participants/{ana.id}"
    assert client.get(f"{me}/schedule").status_code == 200
    assert client.patch(me, json={"role": "Changed"}).status_code == 401


def test_the_german_catalogue_translates_every_web_message() -> None:
    from pathlib import Path

    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    import api

    root = Path(api.__file__).parent / "translations"
    with (root / "web.pot").open("rb") as pot, (root / "de/LC_MESSAGES/web.po").open("rb") as po:
        template, german = read_po(pot), read_po(po, locale="de")
    with (root / "de/LC_MESSAGES/web.mo").open("rb") as mo:
        compiled = read_mo(mo)
    untranslated = [
        m.id
        for m in german
        if m.id
        and ("fuzzy" in m.flags or not (m.string[0] if isinstance(m.string, tuple) else m.string))
    ]
    assert untranslated == []
    assert {m.id for m in template if m.id} <= {m.id for m in german if m.id}

    # The committed .mo is compiled from this .po (pybabel compile -D web -d api/translations).
    def pairs(catalogue: Any) -> dict[Any, Any]:
        return {
            tuple(m.id) if isinstance(m.id, list | tuple) else m.id: tuple(m.string)
            if isinstance(m.string, list | tuple)
            else m.string
            for m in catalogue
            if m.id
        }

    assert pairs(compiled) == pairs(german)


def test_a_query_parameter_chooses_the_language(client: FlaskClient, event: dict[str, Any]) -> None:
    page = client.get(f"/events/{event['id']}/register?lang=de")
    assert '<html lang="de">' in page.text
    assert "Registrierung für" in page.text and "Vorname" in page.text


def test_every_web_template_folder_is_extracted_for_translation() -> None:
    from importlib import import_module
    from pathlib import Path

    from api.app import WEB_BLUEPRINTS

    config = (Path(__file__).resolve().parents[3] / "babel-web.cfg").read_text()
    folders: set[str] = set()
    for name in WEB_BLUEPRINTS:
        module = import_module(name)
        templates = Path(module.__file__).parent / "templates"  # type: ignore[arg-type]
        folders |= {p.name for p in templates.glob("*") if p.is_dir()}
    # "pages" holds the printable outputs of api/outputs (English for now).
    missing = sorted(f for f in folders - {"pages"} if f"templates/{f}/" not in config)
    assert missing == []
    assert {"registration", "organise", "agenda"} <= folders
