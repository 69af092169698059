"""Sign-in and sign-out pages for the browser (behind the ``api.web_session`` seam).

A participant asks for a sign-in link by mail (the same operation as ``POST
/api/v1/events/{id}/sign-in``, with the same answer whether or not the address is
registered) and confirms it on ``/sign-in/<token>``; a participant's access token (from
the organiser's registration or import) still works as a fallback. An organiser pastes
their API key. Secrets travel in a POST body or in the one-use link only.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from api.accounts.participant_sessions import session_for_token
from api.accounts.routes import sign_in_with_link
from api.accounts.sign_in import link_lifetime, request_sign_in_link
from api.exceptions import ClustermeetError
from api.extensions import db, limiter
from api.models import Event, Participant
from api.web_session import (
    load_session_principal,
    protect_response,
    sign_in_participant,
    sign_in_with_secret,
)
from api.web_session import sign_out as end_session

blp = Blueprint("signin", __name__, template_folder="templates")
blp.before_request(load_session_principal)
blp.after_request(protect_response)

MAX_SECRET = 200
MAX_EMAIL = 254
MAX_LINK_TOKEN = 500


def _events() -> list[Event]:
    """The events a person may ask a link for: those not over yet."""
    return list(
        db.session.scalars(
            select(Event).where(Event.end_date >= date.today()).order_by(Event.start_date, Event.id)
        )
    )


def _event_id(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    events = _events()
    chosen = context.pop("event_id", None) or _event_id(request.args.get("event"))
    if chosen is None and len(events) == 1:
        chosen = events[0].id
    context.setdefault("error", None)
    context.setdefault("link_errors", {})
    page = render_template(
        "signin/sign_in.html",
        events=events,
        chosen=chosen,
        email=context.pop("email", ""),
        **context,
    )
    return page, status


@blp.route("/signin", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _page()
    secret = request.form.get("secret", "").strip()
    if not secret or len(secret) > MAX_SECRET:
        return _page(422, error=_("Enter your access token or API key."))
    who = sign_in_with_secret(secret)
    if who is None:
        return _page(401, error=_("That token or key is not valid."))
    flash(_("You are signed in."))
    if isinstance(who, Participant):
        return redirect(url_for("home.event_page", event_id=who.event_id))
    return redirect(url_for("home.index"))


def _sign_in_mail_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGN_IN_MAIL"])


def _sign_in_mail_per_email_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGN_IN_MAIL_PER_EMAIL"])


def _asked_email() -> str:
    """The per-address limit's key (as the API's: the address, however typed); the
    page and the API route each count their own asks."""
    return f"sign-in:{request.form.get('email', '').strip().lower()[:MAX_EMAIL]}"


@blp.post("/signin/link")
@limiter.limit(_sign_in_mail_limit)
@limiter.limit(_sign_in_mail_per_email_limit, key_func=_asked_email)
def ask_for_link() -> Response | tuple[str, int]:
    """Mail a sign-in link; the answer never says whether the address is registered."""
    email = request.form.get("email", "").strip()
    event_id = _event_id(request.form.get("event_id"))
    event = db.session.get(Event, event_id) if event_id is not None else None
    errors: dict[str, str] = {}
    if event is None:
        errors["event_id"] = _("Choose your event.")
    if not email or len(email) > MAX_EMAIL or "@" not in email:
        errors["email"] = _("Enter the email address you registered with.")
    if errors or event is None:
        return _page(422, link_errors=errors, email=email[:MAX_EMAIL], event_id=event_id)
    request_sign_in_link(event, email)
    db.session.commit()
    flash(
        _(
            "If this address is registered for %(event)s, a sign-in link is on its way. "
            "It works once, within %(minutes)d minutes.",
            event=event.name,
            minutes=int(link_lifetime().total_seconds() // 60),
        )
    )
    return redirect(url_for("signin.sign_in", event=event.id))


def _private(response: Response) -> Response:
    # The link's token is in this page's address: never cached, never sent on.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blp.route("/sign-in/<token>", methods=["GET", "POST"])
def confirm_link(token: str) -> Response:
    """The emailed link's page. A button first: mail scanners and link previews open
    links, and must not spend a link that works once."""
    if len(token) > MAX_LINK_TOKEN:
        page = render_template(
            "signin/confirm_link.html", error=_("This sign-in link is not valid")
        )
        return _private(make_response(page, 401))
    if request.method == "GET":
        return _private(make_response(render_template("signin/confirm_link.html", error=None)))
    try:
        participant, bearer = sign_in_with_link(token)
    except ClustermeetError as refused:
        db.session.rollback()
        page = render_template("signin/confirm_link.html", error=str(refused))
        return _private(make_response(page, 401))
    db.session.commit()
    participant_session = session_for_token(bearer)
    assert participant_session is not None
    sign_in_participant(participant_session, owned=True)
    flash(_("You are signed in."))
    target = url_for("agenda_web.my_agenda", event_id=participant.event_id)
    return _private(redirect(target, code=303))


@blp.post("/signout")
def sign_out() -> Response:
    end_session()
    db.session.commit()
    flash(_("You are signed out."))
    return redirect(url_for("home.index"))
