"""The page behind an invitation's link in mail: create a first API key.

It shows a button first: mail scanners and link previews open links, and must not spend
a single-use link. Pages are never cached and send no referrer. (The sign-in link's page
belongs to the web app: ``api.signin.views``.)
"""

from __future__ import annotations

from flask import Blueprint, make_response, render_template
from flask import request as http_request
from werkzeug.wrappers import Response as ResponseBase

from api.exceptions import ClustermeetError
from api.extensions import db

blp = Blueprint("account_pages", __name__, template_folder="templates")


def private(response: ResponseBase) -> ResponseBase:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blp.route("/accounts/first-key/<token>", methods=["GET", "POST"])
def first_key(token: str) -> ResponseBase:
    from api.accounts.routes import first_key as create_first_key

    if http_request.method == "GET":
        page = render_template("accounts/first_key.html", secret=None, error=None)
        return private(make_response(page))
    name = (http_request.form.get("name") or "first key").strip()[:100] or "first key"
    try:
        key, secret = create_first_key(token, name)
    except ClustermeetError as refused:
        db.session.rollback()
        page = render_template("accounts/first_key.html", secret=None, error=str(refused))
        return private(make_response(page, 401))
    db.session.commit()
    page = render_template("accounts/first_key.html", secret=secret, name=key.name, error=None)
    return private(make_response(page, 201))
