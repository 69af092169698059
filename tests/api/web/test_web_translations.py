"""The web pages speak English, German and French: every page string is translated in
each catalogue, the committed .mo files are current, and a page follows the browser."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from api.i18n import LANGUAGES, TRANSLATIONS_DIR

TRANSLATED = sorted(set(LANGUAGES) - {"en"})


def _catalogue(language: str) -> Any:
    with open(Path(TRANSLATIONS_DIR, language, "LC_MESSAGES", "web.po"), "rb") as handle:
        return read_po(handle)


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value or ""),)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_page_string_is_translated(language: str) -> None:
    catalogue = _catalogue(language)
    with open(Path(TRANSLATIONS_DIR, "web.pot"), "rb") as handle:
        template = read_po(handle)
    missing = [
        m.id
        for m in template
        if m.id
        and (
            (found := catalogue.get(m.id)) is None or found.fuzzy or not all(_strings(found.string))
        )
    ]
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_web_catalogue_matches_its_source(language: str) -> None:
    fresh = BytesIO()
    write_mo(fresh, _catalogue(language))
    fresh.seek(0)
    path = Path(TRANSLATIONS_DIR, language, "LC_MESSAGES", "web.mo")
    with open(path, "rb") as handle:
        committed = read_mo(handle)
    table = {_strings(m.id): _strings(m.string) for m in read_mo(fresh) if m.id}
    assert {_strings(m.id): _strings(m.string) for m in committed if m.id} == table


def test_a_page_renders_in_french_for_a_french_browser(
    client: FlaskClient, event: dict[str, Any]
) -> None:
    page = client.get(f"/events/{event['id']}", headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    assert '<html lang="fr">' in page.text
    assert "S'inscrire" in page.text
    assert "Déjà inscrit·e ? Connectez-vous" in page.text
    sign_in = client.get("/signin", headers={"Accept-Language": "fr"})
    assert "M'envoyer un lien de connexion" in sign_in.text
    assert "Se connecter avec un jeton ou une clé" in sign_in.text
    assert "Sign in with a token or key" not in sign_in.text
