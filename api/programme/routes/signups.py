from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from api.events.lookup import get_in_event
from api.exceptions import Forbidden, InvalidInput
from api.extensions import db
from api.http.guards import event_member_required, get_event_participant, get_member_event
from api.http.pagination import paginate
from api.http.principal import current_participant, organiser_may
from api.models import Event, Participant, Session, SignUp
from api.programme.operations import get_signup, sign_up
from api.programme.schemas.signups import SignUpQueryArgsSchema, SignUpSchema

blp = Blueprint(
    "signups",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>",
    description="Participants attending or interested in sessions",
)


def _signup_target(event: Event, data: dict[str, Any]) -> Participant:
    """Whom a sign-up is for: the calling participant, or whom the organiser names."""
    participant = current_participant()
    if organiser_may(event):
        if "participant_id" not in data:
            raise InvalidInput({"participant_id": ["Name the participant to sign up."]})
        target = db.session.get(Participant, data["participant_id"])
        if target is None or target.event_id != event.id:
            raise InvalidInput({"participant_id": ["No such participant in this event."]})
        return target
    assert participant is not None  # get_member_event let only members through
    if data.get("participant_id", participant.id) != participant.id:
        raise Forbidden("Participants sign up only themselves")
    return participant


@blp.route("/sessions/<int:session_id>/signups")
class SessionSignUpViews(MethodView):
    @event_member_required
    @blp.arguments(SignUpQueryArgsSchema, location="query")
    @blp.response(200, SignUpSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=1000)
    def get(
        self,
        args: dict[str, Any],
        event_id: int,
        session_id: int,
        pagination_parameters: PaginationParameters,
    ) -> Any:
        """A session's sign-ups: all for the organiser, a participant's own for them."""
        event = get_member_event(event_id)
        session = get_in_event(Session, event, session_id, "Session")
        query = select(SignUp).where(SignUp.session_id == session.id).order_by(SignUp.id)
        if not organiser_may(event):
            participant = current_participant()
            assert participant is not None
            query = query.where(SignUp.participant_id == participant.id)
        if "kind" in args:
            query = query.where(SignUp.kind == args["kind"])
        return paginate(query, pagination_parameters)

    @event_member_required
    @blp.arguments(SignUpSchema)
    @blp.response(201, SignUpSchema)
    def post(self, data: dict[str, Any], event_id: int, session_id: int) -> SignUp:
        """Sign up for a session (`attend` or `interest`); once only per participant.

        A participant signs up themself; the organiser names a participant. Attendance
        is refused with 409 once the session's room is full.
        """
        event = get_member_event(event_id)
        session = get_in_event(Session, event, session_id, "Session")
        signup = sign_up(session, _signup_target(event, data), data["kind"])
        db.session.commit()
        return signup


@blp.route("/sessions/<int:session_id>/signups/<int:signup_id>")
class SessionSignUpByIdViews(MethodView):
    @event_member_required
    @blp.response(204)
    def delete(self, event_id: int, session_id: int, signup_id: int) -> None:
        """Withdraw a sign-up (its participant or the organiser)."""
        event = get_member_event(event_id)
        session = get_in_event(Session, event, session_id, "Session")
        signup = get_signup(session, signup_id)
        participant = current_participant()
        is_owner = participant is not None and participant.id == signup.participant_id
        if not (is_owner or organiser_may(event)):
            raise Forbidden("Only the participant or the organiser may withdraw a sign-up")
        db.session.delete(signup)
        db.session.commit()


@blp.route("/participants/<int:participant_id>/signups")
class ParticipantSignUpViews(MethodView):
    @event_member_required
    @blp.arguments(SignUpQueryArgsSchema, location="query")
    @blp.response(200, SignUpSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=1000)
    def get(
        self,
        args: dict[str, Any],
        event_id: int,
        participant_id: int,
        pagination_parameters: PaginationParameters,
    ) -> Any:
        """A participant's sign-ups (the participant themself or the organiser)."""
        event = get_member_event(event_id)
        target = get_event_participant(event, participant_id)
        if not (target.can_edit(current_participant()) or organiser_may(event)):
            raise Forbidden("Only the participant or the organiser may see these sign-ups")
        query = select(SignUp).where(SignUp.participant_id == target.id).order_by(SignUp.id)
        if "kind" in args:
            query = query.where(SignUp.kind == args["kind"])
        return paginate(query, pagination_parameters)
