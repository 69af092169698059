"""Every mail text exists in every language, and the committed .mo files are current."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from api.i18n import LANGUAGES, TRANSLATIONS_DIR, supported_language

TRANSLATED = sorted(set(LANGUAGES) - {"en"})


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    catalogue_dir = Path(TRANSLATIONS_DIR, language, "LC_MESSAGES")
    with open(catalogue_dir / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    with open(Path(TRANSLATIONS_DIR, "messages.pot"), "rb") as handle:
        template = read_po(handle)
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        if translated is None or not all(_strings(translated.string)):
            missing.append(message.id)
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    catalogue_dir = Path(TRANSLATIONS_DIR, language, "LC_MESSAGES")
    with open(catalogue_dir / "messages.po", "rb") as handle:
        source = read_po(handle)
    compiled = BytesIO()
    write_mo(compiled, source)
    compiled.seek(0)
    with open(catalogue_dir / "messages.mo", "rb") as handle:
        committed = read_mo(handle)
    fresh = read_mo(compiled)
    assert _table(committed) == _table(fresh)


@pytest.mark.parametrize(
    ("asked", "given"),
    [("de", "de"), ("de-AT", "de"), ("fr_CA", "fr"), ("pt", "en"), ("", "en"), (None, "en")],
)
def test_languages_fall_back_to_their_base_then_english(asked: str | None, given: str) -> None:
    assert supported_language(asked) == given


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value or ""),)


def _table(catalogue: Any) -> dict[tuple[str, ...], tuple[str, ...]]:
    return {_strings(m.id): _strings(m.string) for m in catalogue if m.id}
