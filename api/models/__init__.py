"""SQLAlchemy models: one class per file, singular class, plural file and table."""

from api.models.availability_windows import AvailabilityWindow
from api.models.events import Event
from api.models.jobs import Job
from api.models.meeting_blocks import MeetingBlock
from api.models.meeting_placements import MeetingPlacement, MeetingSeat
from api.models.meeting_requests import MeetingRequest
from api.models.meeting_tables import MeetingTable
from api.models.meetings import Meeting
from api.models.opportunities import Opportunity
from api.models.organisations import Organisation
from api.models.organisers import Organiser
from api.models.participants import Participant
from api.models.rooms import Room
from api.models.schedule_versions import ScheduleVersion
from api.models.session_placements import SessionPlacement
from api.models.session_speakers import SessionSpeaker
from api.models.sessions import Session
from api.models.signups import SignUp
from api.models.tags import Tag
from api.models.webhook_deliveries import WebhookDelivery
from api.models.webhooks import Webhook

__all__ = [
    "AvailabilityWindow",
    "Event",
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
    "Participant",
    "Room",
    "ScheduleVersion",
    "Session",
    "SessionPlacement",
    "SessionSpeaker",
    "SignUp",
    "Tag",
    "Webhook",
    "WebhookDelivery",
]
