"""SQLAlchemy models: one class per file, singular class, plural file and table."""

from api.models.api_keys import ApiKey
from api.models.availability_windows import AvailabilityWindow
from api.models.event_members import EventMember
from api.models.events import Event
from api.models.feed_secrets import FeedSecret
from api.models.jobs import Job
from api.models.meeting_blocks import MeetingBlock
from api.models.meeting_placements import MeetingPlacement, MeetingSeat
from api.models.meeting_requests import MeetingRequest
from api.models.meeting_tables import MeetingTable
from api.models.meetings import Meeting
from api.models.opportunities import Opportunity
from api.models.organisations import Organisation
from api.models.organiser_teams import OrganiserTeam
from api.models.organisers import Organiser
from api.models.outgoing_mails import OutgoingMail
from api.models.participant_sessions import ParticipantSession
from api.models.participants import Participant
from api.models.rooms import Room
from api.models.schedule_versions import ScheduleVersion
from api.models.session_placements import SessionPlacement
from api.models.session_speakers import SessionSpeaker
from api.models.sessions import Session
from api.models.sign_in_links import SignInLink
from api.models.signups import SignUp
from api.models.tags import Tag
from api.models.webhook_deliveries import WebhookDelivery
from api.models.webhooks import Webhook

__all__ = [
    "ApiKey",
    "AvailabilityWindow",
    "Event",
    "EventMember",
    "FeedSecret",
    "Job",
    "Meeting",
    "MeetingBlock",
    "MeetingPlacement",
    "MeetingRequest",
    "MeetingSeat",
    "MeetingTable",
    "Opportunity",
    "Organisation",
    "Organiser",
    "OrganiserTeam",
    "OutgoingMail",
    "Participant",
    "ParticipantSession",
    "Room",
    "ScheduleVersion",
    "Session",
    "SessionPlacement",
    "SessionSpeaker",
    "SignInLink",
    "SignUp",
    "Tag",
    "Webhook",
    "WebhookDelivery",
]
