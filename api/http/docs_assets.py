"""Swagger UI's files served by the app itself, so ``/api/docs`` works without internet.

The files come from the ``swagger-ui-bundle`` package (swagger-ui-dist, Apache-2.0), not a
CDN: a conference venue's network, an air-gapped server or a strict Content-Security-Policy
would otherwise leave a blank page.
"""

from __future__ import annotations

from flask import Blueprint
from swagger_ui_bundle import swagger_ui_path

ASSETS_URL = "/api/docs/assets/"

blp = Blueprint(
    "docs_assets",
    __name__,
    static_folder=str(swagger_ui_path),
    static_url_path=ASSETS_URL.rstrip("/"),
)
