"""Every widget type the engine runs, registered in one explicit list."""

from __future__ import annotations

from typing import Any

from .add_twiml_redirect import AddTwimlRedirect
from .base import Widget
from .capture_payments import CapturePayments
from .connect_call_to import ConnectCallTo
from .connect_virtual_agent import ConnectVirtualAgent
from .connect_virtual_agent_v2 import ConnectVirtualAgentV2
from .enqueue_call import EnqueueCall
from .external import External
from .fork_stream import ForkStream
from .gather_input_on_call import GatherInputOnCall
from .make_http_request import MakeHttpRequest
from .make_outgoing_call_v1 import MakeOutgoingCallV1
from .make_outgoing_call_v2 import MakeOutgoingCallV2
from .record_call import RecordCall
from .record_voicemail import RecordVoicemail
from .resume_conversation import ResumeConversation
from .run_conversation_relay import RunConversationRelay
from .run_function import RunFunction
from .run_subflow import RunSubflow
from .say_play import SayPlay
from .send_and_wait_for_reply import SendAndWaitForReply
from .send_message import SendMessage
from .send_to_auto_pilot import SendToAutoPilot
from .send_to_flex import SendToFlex
from .set_variables import SetVariables
from .split_based_on import SplitBasedOn
from .start_conversation import StartConversation
from .trigger import Trigger

WIDGETS: tuple[type[Widget], ...] = (
    Trigger,
    SplitBasedOn,
    SetVariables,
    RunSubflow,
    SendMessage,
    SendAndWaitForReply,
    MakeHttpRequest,
    RunFunction,
    AddTwimlRedirect,
    SayPlay,
    GatherInputOnCall,
    ConnectCallTo,
    MakeOutgoingCallV2,
    MakeOutgoingCallV1,
    RecordVoicemail,
    RecordCall,
    EnqueueCall,
    CapturePayments,
    ForkStream,
    ConnectVirtualAgent,
    ConnectVirtualAgentV2,
    SendToFlex,
    SendToAutoPilot,
    StartConversation,
    ResumeConversation,
    RunConversationRelay,
)

BY_TYPE: dict[str, type[Widget]] = {w.type: w for w in WIDGETS}


def widget_for(state: dict[str, Any]) -> Widget:
    """The widget for a state; types the engine has no class for wait on the channel."""
    return BY_TYPE.get(state.get("type", ""), External)(state)
