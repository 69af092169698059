"""Languages: Flask-Babel for mail (domain ``messages``) and web pages (domain ``web``).

A participant's mail and pages use their ``language``; a web page may also be asked for
with ``?lang=``; otherwise the best match for the Accept-Language header, else English.
The catalogues live in ``api/translations/<code>/LC_MESSAGES/<domain>.po`` (compiled
``.mo`` files are committed; ``make translations`` rebuilds the mail catalogue and
``pybabel compile -D web -d api/translations`` the web one, see docs/web.md).
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale

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
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    language = getattr(g.get("participant"), "language", None)
    if language:
        return supported_language(language)
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", f"{TRANSLATIONS_DIR};{TRANSLATIONS_DIR}")
    app.config.setdefault("BABEL_DOMAIN", "messages;web")
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"languages": LANGUAGES, "current_language": lambda: str(get_locale())}
