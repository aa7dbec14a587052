"""Flow Control: where an execution starts, how it branches and what it remembers.

Studio's widget library groups Trigger (never in the library: every flow has one),
Split Based On… and Set Variables under Flow Control.
"""

from __future__ import annotations

from .. import outputs as out
from .base import KV, S, WidgetType

TRIGGER = WidgetType(
    "trigger",
    "Trigger",
    "flow_control",
    (
        "incomingMessage",
        "incomingCall",
        "incomingConversationMessage",
        "incomingRequest",
        "incomingParent",
    ),
    "Trigger",
    palette=False,
    event_labels={
        "incomingMessage": "Incoming Message",
        "incomingCall": "Incoming Call",
        "incomingConversationMessage": "Incoming Conversation",
        "incomingRequest": "REST API",
        "incomingParent": "Subflow",
    },
    description="Where every execution starts: a message, a call, a conversation, "
    "the REST API or a parent flow.",
)

SPLIT_BASED_ON = WidgetType(
    "split-based-on",
    "Split Based On…",
    "flow_control",
    ("noMatch", "match"),
    "split_",
    (S("input", "", required=True, label="Variable to test"),),
    repeatable_events=("match",),
    description="Branch on a value with conditions; the first match wins.",
)

SET_VARIABLES = WidgetType(
    "set-variables",
    "Set Variables",
    "flow_control",
    ("next",),
    "set_variables_",
    (KV("variables", [], help="Keys are plain text; values are Liquid."),),
    description="Save values to flow.variables.",
    outputs=out.ANY,
)
