"""The pages behind links in mail: sign in, and create a first API key.

Both show a button first: mail scanners and link previews open links, and must not
spend a single-use link. Pages are never cached and send no referrer.
"""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, session, url_for
from flask import request as http_request
from werkzeug.wrappers import Response as ResponseBase

from api.exceptions import ClustermeetError
from api.extensions import db

blp = Blueprint("account_pages", __name__, template_folder="templates")

SESSION_KEY = "participant_token"


def private(response: ResponseBase) -> ResponseBase:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blp.route("/sign-in/<token>", methods=["GET", "POST"])
def sign_in(token: str) -> ResponseBase:
    from api.accounts.routes import sign_in_with_link

    if http_request.method == "GET":
        return private(make_response(render_template("accounts/sign_in.html", error=None)))
    try:
        participant, bearer = sign_in_with_link(token)
    except ClustermeetError as refused:
        db.session.rollback()
        page = render_template("accounts/sign_in.html", error=str(refused))
        return private(make_response(page, 401))
    db.session.commit()
    # The browser's session: a signed cookie (HttpOnly, SameSite=Lax) holding the token.
    session.clear()
    session[SESSION_KEY] = bearer
    session.permanent = True
    target = url_for(
        "pages.participant_schedule", event_id=participant.event_id, participant_id=participant.id
    )
    return private(redirect(target, code=303))


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
