"""Teams (Twilio accounts), flows, their widgets, revisions and executions."""

from .breakpoints import Breakpoint
from .changes import FlowChange
from .connections import TwilioConnection
from .executions import Execution, ExecutionStep
from .flows import Flow, FlowQuerySet, FlowRevision, Status, Widget, WidgetManager, flow_sid
from .invitations import Invitation, InvitationState
from .mocks import WidgetMock
from .outbox import (
    EarlyReport,
    OutboundKind,
    OutboundRequest,
    OutboundStatus,
    PostedAuthor,
)
from .remote import PushClaim, RemoteFlow, SyncDirection, definition_hash
from .teams import (
    COLOUR_HEX,
    ApiKey,
    AvatarColour,
    Membership,
    Profile,
    Role,
    Team,
    account_sid,
    api_key_sid,
    hash_secret,
    user_sid,
)
from .testcases import CaseStatus, FlowTestCase, FlowTestPolicy
from .throttle import AuthThrottle
from .transcripts import TranscriptEntry
from .workers import WorkerHeartbeat

__all__ = [
    "COLOUR_HEX",
    "ApiKey",
    "AuthThrottle",
    "AvatarColour",
    "Breakpoint",
    "CaseStatus",
    "EarlyReport",
    "Execution",
    "ExecutionStep",
    "Flow",
    "FlowChange",
    "FlowQuerySet",
    "FlowRevision",
    "FlowTestCase",
    "FlowTestPolicy",
    "Invitation",
    "InvitationState",
    "Membership",
    "OutboundKind",
    "OutboundRequest",
    "OutboundStatus",
    "PostedAuthor",
    "Profile",
    "PushClaim",
    "RemoteFlow",
    "Role",
    "Status",
    "SyncDirection",
    "Team",
    "TranscriptEntry",
    "TwilioConnection",
    "Widget",
    "WidgetManager",
    "WidgetMock",
    "WorkerHeartbeat",
    "account_sid",
    "api_key_sid",
    "definition_hash",
    "flow_sid",
    "hash_secret",
    "user_sid",
]
