from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from api.events.lookup import get_in_event
from api.extensions import db
from api.http.guards import event_manager_required, get_event, get_managed_event
from api.http.openapi import public
from api.http.pagination import paginate
from api.models import Session
from api.programme.operations import day_range, save_session, signup_counts
from api.programme.schemas.sessions import SessionQueryArgsSchema, SessionSchema

blp = Blueprint(
    "sessions",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/sessions",
    description="Programme sessions with their speakers and expected audience",
)


def _with_counts(sessions: Sequence[Session]) -> Sequence[Session]:
    """Attach the sign-up counts the schema shows, one query for the whole page."""
    counts = signup_counts([s.id for s in sessions])
    for session in sessions:
        setattr(session, "attendees", counts[session.id]["attend"])  # noqa: B010
        setattr(session, "interested", counts[session.id]["interest"])  # noqa: B010
    return sessions


@blp.route("")
class SessionViews(MethodView):
    @public
    @blp.arguments(SessionQueryArgsSchema, location="query")
    @blp.response(200, SessionSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=500)
    def get(
        self, args: dict[str, Any], event_id: int, pagination_parameters: PaginationParameters
    ) -> Any:
        """List the event's sessions (public), by start; filter by kind, theme, room, day."""
        event = get_event(event_id)
        query = select(Session).where(Session.event_id == event.id)
        for column in ("kind", "theme", "room_id"):
            if column in args:
                query = query.where(getattr(Session, column) == args[column])
        if "day" in args:
            begin, end = day_range(event, args["day"])
            query = query.where(Session.start_dt >= begin, Session.start_dt < end)
        if "q" in args:
            query = query.where(Session.title.ilike(f"%{args['q']}%"))
        query = query.order_by(Session.start_dt.is_(None), Session.start_dt, Session.id)
        return _with_counts(paginate(query, pagination_parameters))

    @event_manager_required
    @blp.arguments(SessionSchema)
    @blp.response(201, SessionSchema)
    def post(self, data: dict[str, Any], event_id: int) -> Session:
        """Add a session (the event's organiser); room and start are optional."""
        session = save_session(get_managed_event(event_id), data)
        db.session.commit()
        return _with_counts([session])[0]


@blp.route("/<int:session_id>")
class SessionByIdViews(MethodView):
    @public
    @blp.response(200, SessionSchema)
    def get(self, event_id: int, session_id: int) -> Session:
        """One session (public)."""
        session = get_in_event(Session, get_event(event_id), session_id, "Session")
        return _with_counts([session])[0]

    @event_manager_required
    @blp.arguments(SessionSchema(partial=True))
    @blp.response(200, SessionSchema)
    def patch(self, data: dict[str, Any], event_id: int, session_id: int) -> Session:
        """Change a session (the event's organiser); `speakers`, if given, replaces the list."""
        event = get_managed_event(event_id)
        session = get_in_event(Session, event, session_id, "Session")
        save_session(event, data, session)
        db.session.commit()
        return _with_counts([session])[0]

    @event_manager_required
    @blp.response(204)
    def delete(self, event_id: int, session_id: int) -> None:
        """Delete a session with its speakers and sign-ups."""
        event = get_managed_event(event_id)
        db.session.delete(get_in_event(Session, event, session_id, "Session"))
        db.session.commit()
