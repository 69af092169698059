"""Languages: Flask-Babel with one catalogue for the app (mail now, web pages later).

A participant's mail and pages use their ``language``; a request without a signed-in
participant gets the best match for its Accept-Language header. The catalogues live in
``api/translations/<code>/LC_MESSAGES/messages.po`` (compiled ``.mo`` files are committed;
``make translations`` rebuilds them).
"""

from __future__ import annotations

import os

from flask import Flask, g, has_request_context, request
from flask_babel import Babel

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français"}
DEFAULT_LANGUAGE = "en"
TRANSLATIONS_DIR = os.path.join(os.path.dirname(__file__), "translations")

babel = Babel()


def supported_language(code: str | None) -> str:
    """The code itself if we speak it, its base language ("de-AT" -> "de"), else English."""
    if not code:
        return DEFAULT_LANGUAGE
    code = code.strip().replace("_", "-").lower()
    if code in LANGUAGES:
        return code
    base = code.split("-", 1)[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def select_locale() -> str:
    participant = g.get("participant") if has_request_context() else None
    language = getattr(participant, "language", None)
    if language:
        return supported_language(language)
    if has_request_context():
        return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale)
