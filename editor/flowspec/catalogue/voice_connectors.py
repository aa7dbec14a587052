"""Voice widgets that hand the call's audio to another service.

Capture Payments (a Pay connector), Fork Stream (a WebSocket or SIPREC connector),
Connect Virtual Agent (Dialogflow ES and CX connectors) and Run ConversationRelay (your
AI application over a WebSocket). All sit in Studio's Voice group.
"""

from __future__ import annotations

from .. import outputs as out
from .. import speech
from .base import CARD_TYPES, HTTP_METHODS, KV, RAW, YES_NO, B, E, I, Prop, S, WidgetType

CAPTURE_PAYMENTS = WidgetType(
    "capture-payments",
    "Capture Payments",
    "voice",
    (
        "success",
        "maxFailedAttempts",
        "providerError",
        "payInterrupted",
        "hangup",
        "validationError",
    ),
    "pay_",
    (
        RAW("payment_connector"),
        S("payment_amount"),
        RAW("currency", "usd"),
        S("description"),
        E(
            "payment_token_type",
            (("one-time", "One-time"), ("reusable", "Reusable")),
            "reusable",
        ),
        E(
            "payment_method",
            (("CREDIT_CARD", "Credit card"), ("ACH_DEBIT", "ACH debit")),
            "CREDIT_CARD",
        ),
        E(
            "bank_account_type",
            (
                ("CONSUMER_CHECKING", "Consumer checking"),
                ("CONSUMER_SAVINGS", "Consumer savings"),
                ("COMMERCIAL_CHECKING", "Commercial checking"),
                ("COMMERCIAL_SAVINGS", "Commercial savings"),
            ),
        ),
        Prop("valid_card_types", "array", items="string", choices=CARD_TYPES),
        B("security_code", True),
        RAW("postal_code", "true", also=("boolean",)),
        I("min_postal_code_length"),
        I("timeout", 5, duration="seconds"),
        I("max_attempts", 2),
        RAW("language", suggested=speech.PAY_LANGUAGES),
        KV("parameters", liquid=False),
    ),
    description="Take a card or ACH payment over the phone (PCI mode).",
    outputs=out.PAY,
)

FORK_STREAM = WidgetType(
    "fork-stream",
    "Fork Stream",
    "voice",
    ("next",),
    "stream_",
    (
        E("stream_action", (("start", "Start"), ("stop", "Stop")), "start", required=True),
        S("stream_name"),
        E(
            "stream_transport_type",
            (("websocket", "WebSocket"), ("siprec", "SIPREC")),
            "websocket",
        ),
        S("stream_url"),
        RAW("stream_connector"),
        E(
            "stream_track",
            (
                ("inbound_track", "Inbound track"),
                ("outbound_track", "Outbound track"),
                ("both_tracks", "Both tracks"),
            ),
            "inbound_track",
        ),
        KV("stream_parameters", []),
    ),
    description="Start or stop streaming the call's audio.",
)

CONNECT_VIRTUAL_AGENT = WidgetType(
    "connect-virtual-agent",
    "Connect Virtual Agent (Dialogflow ES)",
    "voice",
    ("return", "hangup"),
    "virtual_agent_",
    (
        RAW("connector", required=True),
        S("language"),
        E("sentiment_analysis", YES_NO, also=("boolean",)),
        S("status_callback"),
    ),
    palette=False,
    outputs=out.VIRTUAL_AGENT,
)

CONNECT_VIRTUAL_AGENT_V2 = WidgetType(
    "connect-virtual-agent-v2",
    "Connect Virtual Agent",
    "voice",
    ("completed", "live-agent-handoff", "hangup", "failed"),
    "virtual_agent_",
    (
        RAW("connector_name", label="Connector"),
        KV("configurations", [], liquid=False),
        KV("parameters", []),
        S("status_callback"),
        E("status_callback_method", HTTP_METHODS),
        E("channel", (("voice", "Voice"), ("conversations", "Conversations"))),
        I("timeout", also=("string",), duration="seconds"),
        RAW("session_behavior"),
        RAW("resume_session_identification_method"),
        S("resume_session_identification_value"),
        RAW("resume_session_event_name"),
        Prop("connector_details", "object"),
    ),
    extra_events=("paused", "timeout"),
    description="Hand the caller to a Dialogflow CX agent.",
    outputs=out.VIRTUAL_AGENT,
)

RUN_CONVERSATION_RELAY = WidgetType(
    "run-conversation-relay",
    "Run ConversationRelay",
    "voice",
    ("success", "failed"),
    "conversation_relay_",
    (
        S("url", "", label="WebSocket URL"),
        S("welcome_greeting"),
        RAW("tts_provider", suggested=speech.TTS_PROVIDERS),
        S("voice", help="A voice of the text-to-speech provider, by its ID."),
        S("language"),
        RAW("transcription_provider", suggested=speech.TRANSCRIPTION_PROVIDERS),
        S("speech_model"),
        RAW("dtmf_detection", also=("boolean",)),
        RAW("interruptible", also=("boolean",)),
        KV("parameters", []),
    ),
    description="Connect the call to your AI application over a WebSocket.",
    outputs=out.CONVERSATION_RELAY,
)
