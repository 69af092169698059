"""Mail texts: Jinja templates in ``templates/mail`` (``<kind>.txt`` and ``<kind>.html``),
rendered in the recipient's language through Flask-Babel."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_time
from flask import Flask, current_app
from flask_babel import force_locale, get_locale, gettext, ngettext
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.notifications.kinds import NotificationKind

TEMPLATES_DIR = os.path.join(os.path.dirname(__file__), "templates")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _when(value: datetime) -> str:
    """A local date and time the way the reader's language writes it, with the zone."""
    locale = get_locale()
    zone = value.tzname() or ""
    text = (
        f"{format_date(value, 'full', locale=locale)}, {format_time(value, 'short', locale=locale)}"
    )
    return f"{text} ({zone})" if zone else text


def _time(value: datetime) -> str:
    return str(format_time(value, "short", locale=get_locale()))


def _day(value: date) -> str:
    return str(format_date(value, "full", locale=get_locale()))


def mail_environment(app: Flask) -> Environment:
    env: Environment | None = app.extensions.get("clustermeet_mail_jinja")
    if env is None:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
        env.filters.update(when=_when, time=_time, day=_day)
        app.extensions["clustermeet_mail_jinja"] = env
    return env


def subject_for(kind: NotificationKind, context: dict[str, Any]) -> str:
    return str(_subject(kind, context))


def _subject(kind: NotificationKind, context: dict[str, Any]) -> Any:
    event = context["event_name"]
    match kind:
        case NotificationKind.SIGN_IN:
            return gettext("Your sign-in link for %(event)s", event=event)
        case NotificationKind.REGISTRATION:
            return gettext("You are registered for %(event)s", event=event)
        case NotificationKind.ALREADY_REGISTERED:
            return gettext("You are already registered for %(event)s", event=event)
        case NotificationKind.REQUEST_RECEIVED:
            return gettext(
                "%(name)s would like to meet you at %(event)s",
                name=context["other_name"],
                event=event,
            )
        case NotificationKind.REQUEST_ANSWERED:
            if context["accepted"]:
                return gettext("%(name)s accepted your meeting request", name=context["other_name"])
            return gettext("%(name)s declined your meeting request", name=context["other_name"])
        case NotificationKind.REQUEST_EXPIRING:
            return ngettext(
                "A meeting request expires soon",
                "%(num)d meeting requests expire soon",
                len(context["requests"]),
            )
        case NotificationKind.SCHEDULE_PUBLISHED:
            return gettext("Your agenda for %(event)s", event=event)
        case NotificationKind.MEETING_CHANGED:
            if context["cancelled"]:
                return gettext("Meeting cancelled: %(name)s", name=context["other_name"])
            return gettext("Meeting moved: %(name)s", name=context["other_name"])
        case NotificationKind.REMINDER:
            return gettext("Tomorrow at %(event)s", event=event)
        case NotificationKind.MEMBER_INVITED:
            return gettext("You have been added to %(event)s", event=event)
    raise ValueError(f"no subject for {kind!r}")


def render_mail(kind: NotificationKind, language: str, context: dict[str, Any]) -> RenderedMail:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    env = mail_environment(app)
    with force_locale(language):
        subject = subject_for(kind, context)
        text = env.get_template(f"mail/{kind.value}.txt").render(context)
        html = env.get_template(f"mail/{kind.value}.html").render(context)
    return RenderedMail(subject=subject, text=text, html=html)
