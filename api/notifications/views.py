"""Unsubscribe pages: a link in every mail, and one-click unsubscribe (RFC 8058).

GET shows a button (mail scanners open links, and must not unsubscribe anyone); POST,
from that button or straight from a mail client, turns the notifications off.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, make_response, render_template, request
from flask_babel import force_locale

from api.extensions import db
from api.i18n import supported_language
from api.models import Participant
from api.notifications.preferences import ALL_KINDS, mute, read_unsubscribe_token

blp = Blueprint("notifications", __name__, template_folder="templates")


def private_page(body: str) -> Response:
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> Response:
    wish = read_unsubscribe_token(token)
    participant = db.session.get(Participant, wish.participant_id) if wish else None
    if wish is None or participant is None:
        abort(404)
    with force_locale(supported_language(participant.language)):
        if request.method == "POST":
            mute(participant, wish.kind)
            db.session.commit()
            done = True
        else:
            done = False
        body = render_template(
            "notifications/unsubscribe.html",
            done=done,
            is_all=wish.kind == ALL_KINDS,
            kind=wish.kind,
            language=supported_language(participant.language),
        )
    return private_page(body)
