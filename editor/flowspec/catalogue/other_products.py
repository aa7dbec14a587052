"""Connect Other Products: Send to Flex and the retired Send to Autopilot."""

from __future__ import annotations

from .. import outputs as out
from .base import HTTP_METHODS, KV, RAW, E, I, S, WidgetType

SEND_TO_FLEX = WidgetType(
    "send-to-flex",
    "Send to Flex",
    "other_products",
    ("callComplete", "failedToEnqueue", "callFailure"),
    "send_to_flex_",
    (
        RAW("workflow", "", required=True, label="Workflow (WW…)"),
        RAW("channel", "", required=True, label="Task channel (TC…)"),
        S(
            "attributes",
            "",
            multiline=True,
            assumed="{}",
            json=True,
            help="Task attributes as JSON.",
        ),
        S("priority", "0", also=("integer",), help="A whole number; Liquid is rendered first."),
        RAW("timeout", "3600", also=("integer",), label="Task timeout (s)", duration="seconds"),
        S("waitUrl", label="Hold music TwiML URL"),
        E("waitUrlMethod", HTTP_METHODS, assumed="POST", label="Hold music TwiML method"),
    ),
    extra_events=("composerStarted",),
    event_labels={
        "callComplete": "Task created",
        "failedToEnqueue": "Failed to create task",
        "callFailure": "Call failed",
    },
    description="Create a task for an agent in Flex.",
    outputs=out.FLEX,
)

SEND_TO_AUTO_PILOT = WidgetType(
    "send-to-auto-pilot",
    "Send to Autopilot",
    "other_products",
    ("sessionEnded", "failure", "timeout"),
    "autopilot_",
    (
        RAW("autopilot_assistant_sid", required=True),
        S("from", "{{flow.channel.address}}", required=True),
        S("body", "{{trigger.message.Body}}", required=True),
        I("timeout", 14400, also=("string",), duration="seconds"),
        S("chat_service", "{{trigger.message.InstanceSid}}"),
        S("chat_channel", "{{trigger.message.ChannelSid}}"),
        S("chat_attributes"),
        RAW("target_task"),
        KV("memory_parameters"),
    ),
    palette=False,
    outputs=out.AUTOPILOT,
)
