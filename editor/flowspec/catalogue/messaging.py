"""Messaging: widgets that send messages and open or resume Conversations.

Send Message, Send & Wait For Reply, Start Conversation and Resume Conversation, with
the properties the two sending widgets share (Programmable Chat, Content Templates).
"""

from __future__ import annotations

from .. import outputs as out
from .base import KV, MESSAGE_TYPES, RAW, B, E, Prop, S, WidgetType

CHAT_LEGACY = (
    S("service", "{{trigger.message.InstanceSid}}", help="Programmable Chat service (IS…)."),
    S("channel", "{{trigger.message.ChannelSid}}", help="Programmable Chat channel (CH…)."),
)

CONTENT_TEMPLATE = (
    E("message_type", MESSAGE_TYPES, "custom"),
    S("content_sid", help="Content template (HX…) when message type is content_template."),
    KV("content_variables", help="Template placeholders by bare number: 1, 2, …"),
)

SEND_MESSAGE = WidgetType(
    "send-message",
    "Send Message",
    "messaging",
    ("sent", "failed"),
    "send_message_",
    (
        S("body", "", multiline=True, label="Message body"),
        S("from", "{{flow.channel.address}}", required=True),
        S("to", "{{contact.channel.address}}"),
        S("media_url", label="Media URL"),
        *CHAT_LEGACY,
        S("attributes", help="Message attributes as JSON."),
        B("shorten_urls", label="Use link shortening"),
        *CONTENT_TEMPLATE,
    ),
    event_labels={"sent": "Sent", "failed": "Failed to Send"},
    description="Send a message to the contact.",
    outputs=out.OUTBOUND,
)

SEND_AND_WAIT_FOR_REPLY = WidgetType(
    "send-and-wait-for-reply",
    "Send & Wait For Reply",
    "messaging",
    ("incomingMessage", "timeout", "deliveryFailure"),
    "send_and_reply_",
    (
        S("body", "", multiline=True, label="Message body"),
        S("from", "{{flow.channel.address}}", required=True),
        RAW(
            "timeout",
            "3600",
            also=("integer",),
            label="Stop gathering after (s)",
            duration="seconds",
        ),
        S("media_url", label="Media URL"),
        *CHAT_LEGACY,
        S("attributes", help="Message attributes as JSON (quick replies for webchat)."),
        B("shorten_urls", label="Use link shortening"),
        *CONTENT_TEMPLATE,
        RAW("save_response_as", help="Legacy."),
    ),
    description="Send a message and wait for the contact's reply.",
    outputs=(*out.OUTBOUND, *out.INBOUND),
)

START_CONVERSATION = WidgetType(
    "start-conversation",
    "Start Conversation",
    "messaging",
    ("created", "failed"),
    "start_conversation_",
    (
        RAW("conversation_service_sid", "", required=True, label="Conversation service"),
        Prop("participants", "array", []),
        S("friendly_name"),
        S("attributes", assumed="{}"),
        RAW("chat_service_sid"),
        RAW("messaging_service_sid"),
        Prop("timers", "object"),
    ),
    description="Open a Conversation with the contact (REST-triggered flows).",
    outputs=out.START_CONVERSATION,
)

RESUME_CONVERSATION = WidgetType(
    "resume-conversation",
    "Resume Conversation",
    "messaging",
    ("resumed", "failed"),
    "resume_conversation_",
    (
        RAW("conversation_service_sid", "", required=True, label="Conversation service"),
        S("conversation_sid"),
        Prop("webhook_filters", "array"),
        S("attributes"),
    ),
    description="Attach the flow to an existing Conversation again.",
    outputs=out.RESUME_CONVERSATION,
)
