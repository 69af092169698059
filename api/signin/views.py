"""Sign-in and sign-out pages for the browser (behind the ``api.web_session`` seam).

Until emailed sign-in links exist, a participant signs in with the access token shown at
registration and an organiser with their API key; the secret travels in a POST body only.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from api.models import Participant
from api.web_session import load_session_principal, protect_response, sign_in_with_secret
from api.web_session import sign_out as end_session

blp = Blueprint("signin", __name__, template_folder="templates")
blp.before_request(load_session_principal)
blp.after_request(protect_response)

MAX_SECRET = 200


@blp.route("/signin", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("signin/sign_in.html", error=None)
    secret = request.form.get("secret", "").strip()
    if not secret or len(secret) > MAX_SECRET:
        return render_template(
            "signin/sign_in.html", error=_("Enter your access token or API key.")
        ), 422
    who = sign_in_with_secret(secret)
    if who is None:
        return render_template(
            "signin/sign_in.html", error=_("That token or key is not valid.")
        ), 401
    flash(_("You are signed in."))
    if isinstance(who, Participant):
        return redirect(url_for("home.event_page", event_id=who.event_id))
    return redirect(url_for("home.index"))


@blp.post("/signout")
def sign_out() -> Response:
    end_session()
    flash(_("You are signed out."))
    return redirect(url_for("home.index"))
