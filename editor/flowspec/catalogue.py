"""Every Studio widget type: the one source of truth.

Validation, import/export, the canvas inspector (served as JSON) and the engine all read
this module. Each entry records the label and palette group the Console shows, the
transition events in the order exports list them, and each property's JSON type, the
default a newly dropped widget gets, whether it is required, its allowed values and whether
it is rendered with Liquid at run time. References are to studio-spec.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import outputs as out
from . import speech

NO_DEFAULT: Any = object()
# Words a property's name spells in lower case that Studio writes in capitals.
ACRONYMS = {
    "url": "URL",
    "sid": "SID",
    "dtmf": "DTMF",
    "tts": "TTS",
    "twiml": "TwiML",
    "sip": "SIP",
}

GROUPS: tuple[tuple[str, str], ...] = (
    ("flow_control", "Flow Control"),
    ("voice", "Voice"),
    ("messaging", "Messaging"),
    ("tools", "Tools & Execute Code"),
    ("other_products", "Connect Other Products"),
    ("legacy", "Legacy"),
)

JSON_TYPES = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "array": list,
    "object": dict,
}


@dataclass(frozen=True)
class Prop:
    """One widget property as exports spell it."""

    name: str
    type: str = "string"
    default: Any = NO_DEFAULT
    required: bool = False
    # An enumeration: each value as exports store it, with the label the Console shows.
    choices: tuple[tuple[str, str], ...] = ()
    liquid: bool = False
    label: str = ""
    help: str = ""
    # For arrays: "key_value" ({key, value} items, value Liquid) or "string".
    items: str = ""
    # Other JSON types real exports use for this property; accepted and kept as they are.
    also: tuple[str, ...] = ()
    multiline: bool = False
    # A length of time ("seconds" or "milliseconds"): a whole number, 0 or more, written as
    # digits or as a JSON integer. Anything else leaves the engine without a timer.
    duration: str = ""
    # Values older Studio versions wrote that it no longer offers, each with the value it
    # writes today. Imports keep them as written and warn; the engine reads them as the
    # value they stand for.
    older: tuple[tuple[str, str], ...] = ()
    # What the engine assumes when a flow leaves the property out, where Studio documents a
    # value the Console does not write into a new widget (a Connect Call To's time limit is
    # 4 hours). The engine reads `runtime_default`, never a value of its own.
    assumed: Any = NO_DEFAULT
    # Values the Console offers for a free-text property (Say's voice and language), each
    # with a label; any other value and Liquid are accepted too.
    suggested: tuple[tuple[str, str], ...] = ()

    @property
    def enum(self) -> tuple[str, ...]:
        """The enumeration's stored values (empty: not enumerated)."""
        return tuple(value for value, _ in self.choices)

    def choice_label(self, value: Any) -> str:
        """The Console's label of an enumerated or suggested value; else the value."""
        found = (label for stored, label in (*self.choices, *self.suggested) if stored == value)
        return next(found, str(value))

    @property
    def title(self) -> str:
        """The label, else the name in words: waitUrlMethod and wait_url_method are both
        "Wait URL method" (Studio writes acronyms in capitals)."""
        if self.label:
            return self.label
        spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", self.name).replace("_", " ")
        words = [ACRONYMS.get(w.lower(), w.lower()) for w in spaced.split()]
        return " ".join(words)[:1].upper() + " ".join(words)[1:]

    @property
    def runtime_default(self) -> Any:
        """The value the engine uses for an absent property (NO_DEFAULT: none)."""
        return self.assumed if self.assumed is not NO_DEFAULT else self.default

    def accepts(self, value: Any) -> bool:
        return json_type_of(value) in (self.type, *self.also)

    def today(self, value: Any) -> str | None:
        """The value Studio writes today for an older `value`, or None."""
        if not self.older or not isinstance(value, str):
            return None
        return next((today for older, today in self.older if older == value), None)


@dataclass(frozen=True)
class WidgetType:
    type: str
    label: str
    group: str
    events: tuple[str, ...]
    name_prefix: str
    props: tuple[Prop, ...] = ()
    description: str = ""
    # Shown in the widget library. Legacy and undocumented types only import and export.
    palette: bool = True
    # False for types whose properties nobody documents: kept verbatim, never checked.
    documented: bool = True
    # Events some sources name but the Console does not offer; accepted on import.
    extra_events: tuple[str, ...] = ()
    # split-based-on: `match` may repeat, each with its own conditions.
    repeatable_events: tuple[str, ...] = ()
    # The Console's label of an event, where studio-spec.md gives one; the canvas writes
    # `event_label(event)` under the widget's outputs.
    event_labels: dict[str, str] = field(default_factory=dict, compare=False)
    # What the engine writes under `widgets.<name>.`: dotted paths, `*` for any key below
    # (editor/flowspec/outputs.py). Empty for widgets that write nothing.
    outputs: tuple[str, ...] = ()
    props_by_name: dict[str, Prop] = field(init=False, repr=False, compare=False)
    compiled_outputs: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props_by_name", {p.name: p for p in self.props})
        object.__setattr__(self, "compiled_outputs", out.compile_outputs(self.outputs))

    @property
    def allowed_events(self) -> tuple[str, ...]:
        return self.events + self.extra_events

    def event_label(self, event: str) -> str:
        """The Console's label, else the event name in words: `noMatch` -> "No Match"."""
        if event in self.event_labels:
            return self.event_labels[event]
        words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", event).replace("-", " ").replace("_", " ")
        return " ".join(word[:1].upper() + word[1:] for word in words.split())

    def default_properties(self) -> dict[str, Any]:
        return {p.name: _copy(p.default) for p in self.props if p.default is not NO_DEFAULT}

    def default_transitions(self) -> list[dict[str, Any]]:
        return [{"event": e} for e in self.events if e not in self.repeatable_events]


def json_type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


# Small constructors keep the table below readable.
def S(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    """A Liquid-rendered string (Studio's default for string properties)."""
    kw.setdefault("liquid", True)
    return Prop(name, "string", default, **kw)


def RAW(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    """A string that is never rendered (SIDs, enums, keys)."""
    return Prop(name, "string", default, **kw)


def E(
    name: str, choices: tuple[tuple[str, str], ...], default: Any = NO_DEFAULT, **kw: Any
) -> Prop:
    """An enumerated string: (stored value, the Console's label) pairs."""
    return Prop(name, "string", default, choices=choices, **kw)


def I(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:  # noqa: E743
    return Prop(name, "integer", default, **kw)


def B(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    return Prop(name, "boolean", default, **kw)


def KV(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    """An array of {key, value} items whose values are Liquid."""
    kw.setdefault("liquid", True)
    return Prop(name, "array", default, items="key_value", **kw)


# Enumerations: each value as exports store it (never changed) and the Console's label.
HTTP_METHODS = (("GET", "GET"), ("POST", "POST"))
TRIM = (("trim-silence", "Trim silence"), ("do-not-trim", "Do not trim"))
# Older Studio wrote the trim choice as a "true"/"false" string (studio-spec §2.13, [AI]);
# real exports of Make Outgoing Call still carry it, and Twilio stored them.
TRIM_OLDER = (("true", "trim-silence"), ("false", "do-not-trim"))
CHANNELS_MONO_DUAL = (("mono", "Mono"), ("dual", "Dual"))
MESSAGE_TYPES = (("custom", "Custom"), ("content_template", "Content Template"))
CONTENT_TYPES = (
    ("application/x-www-form-urlencoded;charset=utf-8", "Form URL Encoded"),
    ("application/json;charset=utf-8", "Application/JSON"),
    ("application/x-www-form-urlencoded", "Form URL Encoded (no charset)"),
    ("application/json", "Application/JSON (no charset)"),
)
CARD_TYPES = (
    ("amex", "American Express"),
    ("diners-club", "Diners Club"),
    ("discover", "Discover"),
    ("enroute", "enRoute"),
    ("jcb", "JCB"),
    ("maestro", "Maestro"),
    ("master-card", "Master Card"),
    ("mastercard", "Mastercard"),
    ("optima", "Optima"),
    ("visa", "Visa"),
)
# Studio stores these yes/no choices as the strings "true" and "false".
YES_NO = (("true", "Yes"), ("false", "No"))

VOICE_PROMPT = (
    S("say", multiline=True, help="Text to speak; SSML works with SSML-capable voices."),
    S("play", help="URL of an audio file to play."),
    S(
        "voice",
        suggested=speech.VOICES,
        help="A suggestion, or any Twilio voice (Polly.*, Google.*) or Liquid.",
    ),
    S("language", "en-US", suggested=speech.LANGUAGES),
    I("loop", 1, help="Repetitions, 1-99."),
)

CHAT_LEGACY = (
    S("service", "{{trigger.message.InstanceSid}}", help="Programmable Chat service (IS…)."),
    S("channel", "{{trigger.message.ChannelSid}}", help="Programmable Chat channel (CH…)."),
)

CONTENT_TEMPLATE = (
    E("message_type", MESSAGE_TYPES, "custom"),
    S("content_sid", help="Content template (HX…) when message type is content_template."),
    KV("content_variables", help="Template placeholders by bare number: 1, 2, …"),
)

MACHINE_DETECTION = (
    B("detect_answering_machine", False),
    E(
        "machine_detection",
        (("Enable", "Enable"), ("DetectMessageEnd", "Detect message end")),
        "Enable",
    ),
    RAW("machine_detection_timeout", "30", also=("integer",), duration="seconds"),
    RAW("machine_detection_speech_threshold", "2400", also=("integer",), duration="milliseconds"),
    RAW(
        "machine_detection_speech_end_threshold", "1200", also=("integer",), duration="milliseconds"
    ),
    RAW("machine_detection_silence_timeout", "5000", also=("integer",), duration="milliseconds"),
)

WIDGET_TYPES: tuple[WidgetType, ...] = (
    WidgetType(
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
    ),
    WidgetType(
        "split-based-on",
        "Split Based On…",
        "flow_control",
        ("noMatch", "match"),
        "split_",
        (S("input", "", required=True, label="Variable to test"),),
        repeatable_events=("match",),
        description="Branch on a value with conditions; the first match wins.",
    ),
    WidgetType(
        "set-variables",
        "Set Variables",
        "flow_control",
        ("next",),
        "set_variables_",
        (KV("variables", [], help="Keys are plain text; values are Liquid."),),
        description="Save values to flow.variables.",
        outputs=out.ANY,
    ),
    WidgetType(
        "run-subflow",
        "Run Subflow",
        "tools",
        ("completed", "failed"),
        "subflow_",
        (
            RAW("flow_sid", "", required=True, label="Subflow", help="FW… of the subflow."),
            RAW(
                "flow_revision",
                "LatestPublished",
                required=True,
                label="Revision",
                help="LatestPublished, LatestDraft or a revision number.",
            ),
            KV("parameters", []),
        ),
        description="Run another flow inside this execution.",
        outputs=out.ANY,
    ),
    WidgetType(
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
    ),
    WidgetType(
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
    ),
    WidgetType(
        "make-http-request",
        "Make HTTP Request",
        "tools",
        ("success", "failed"),
        "http_",
        (
            E("method", HTTP_METHODS, "GET", label="Request method"),
            E(
                "content_type",
                CONTENT_TYPES,
                "application/x-www-form-urlencoded;charset=utf-8",
                label="Content type",
            ),
            S("url", "", required=True, label="Request URL"),
            S("body", multiline=True, label="Request body"),
            KV("parameters", label="HTTP parameters"),
            B("add_twilio_auth", label="Authenticate with Twilio"),
        ),
        event_labels={"success": "Success", "failed": "Fail"},
        description="Call a web service; JSON objects are parsed into widgets.NAME.parsed.",
        outputs=out.HTTP,
    ),
    WidgetType(
        "run-function",
        "Run Function",
        "tools",
        ("success", "fail"),
        "function_",
        (
            S("url", "", required=True, label="Function URL"),
            RAW("service_sid", "", label="Service"),
            RAW("environment_sid", "", label="Environment"),
            RAW("function_sid", "", label="Function"),
            KV("parameters", [], label="Function parameters"),
        ),
        description="Run a function and use its response.",
        outputs=out.FUNCTION,
    ),
    WidgetType(
        "run-function-v2",
        "Run Function (v2)",
        "tools",
        (),
        "function_",
        palette=False,
        documented=False,
    ),
    WidgetType(
        "add-twiml-redirect",
        "TwiML Redirect",
        "tools",
        ("return", "timeout", "fail"),
        "redirect_",
        (
            S("url", "", required=True, label="URL"),
            E("method", HTTP_METHODS, "POST"),
            RAW(
                "timeout",
                "14400",
                also=("integer",),
                help="0-14400 s; 0 never returns.",
                duration="seconds",
            ),
        ),
        description="Hand the call or message to TwiML at a URL; it may return.",
        outputs=(*out.CALL, *out.ANY),
    ),
    WidgetType(
        "say-play",
        "Say/Play",
        "voice",
        ("audioComplete",),
        "say_play_",
        (*VOICE_PROMPT, S("digits", help="DTMF: 0-9 A-D # * w W.")),
        description="Speak text, play audio or send digits on a call.",
        outputs=out.SAY_PLAY,
    ),
    WidgetType(
        "gather-input-on-call",
        "Gather Input On Call",
        "voice",
        ("keypress", "speech", "timeout"),
        "gather_",
        (
            *VOICE_PROMPT,
            I("timeout", 5, label="Stop gathering after (s)", duration="seconds"),
            RAW("finish_on_key", "#", label="Stop gathering on key"),
            B("stop_gather", True, label="Stop gathering on keypress"),
            I("number_of_digits", also=("string",), label="Number of digits"),
            S(
                "gather_language",
                "en-US",
                suggested=speech.LANGUAGES,
                label="Speech recognition language",
            ),
            S("hints", help="Comma-separated phrases."),
            RAW(
                "speech_timeout",
                "auto",
                also=("integer",),
                label="Speech timeout",
                duration="seconds",
            ),
            S("speech_model"),
            E("profanity_filter", YES_NO, "true"),
            RAW("save_response_as", help="Legacy."),
        ),
        description="Ask the caller for digits or speech.",
        outputs=out.GATHER,
    ),
    WidgetType(
        "connect-call-to",
        "Connect Call To",
        "voice",
        ("callCompleted", "hangup"),
        "connect_call_",
        (
            E(
                "noun",
                (
                    ("number", "Single Number"),
                    ("number-multi", "Multiple Numbers"),
                    ("client", "Client"),
                    ("sim", "SIM"),
                    ("sip", "SIP Endpoint"),
                    ("conference", "Conference"),
                ),
                "number",
                required=True,
                label="Connect call to",
            ),
            S("to", "", label="To"),
            S("caller_id", "{{contact.channel.address}}", label="Caller ID"),
            B("record", False),
            I("timeout", 30, label="Ring timeout (s)", duration="seconds"),
            RAW(
                "time_limit",
                also=("integer",),
                label="Time limit (s)",
                duration="seconds",
                assumed="14400",
                help="Empty: 4 hours.",
            ),
            S("sip_endpoint", label="SIP endpoint"),
            S("sip_username", label="SIP username"),
            S("sip_password", label="SIP password"),
        ),
        description="Dial a number, client, SIM, SIP endpoint or conference.",
        outputs=out.DIAL,
    ),
    WidgetType(
        "make-outgoing-call-v2",
        "Make Outgoing Call",
        "voice",
        ("answered", "busy", "noAnswer", "failed"),
        "call_user_",
        (
            S("from", "{{flow.channel.address}}", required=True),
            S("to", "{{contact.channel.address}}", required=True),
            B("record", False),
            E("recording_channels", CHANNELS_MONO_DUAL, "mono"),
            S("recording_status_callback"),
            E("trim", TRIM, "do-not-trim", older=TRIM_OLDER),
            *MACHINE_DETECTION,
            S("send_digits"),
            I("timeout", 60, label="Ring timeout (s)", duration="seconds"),
            S("sip_auth_username", label="SIP auth username"),
            S("sip_auth_password", label="SIP auth password"),
        ),
        description="Call the contact (REST-triggered flows).",
        outputs=out.OUTGOING_CALL,
    ),
    WidgetType(
        "make-outgoing-call-v1",
        "Make Outgoing Call (v1)",
        "voice",
        ("answered", "busy", "noAnswer", "failed"),
        "call_user_",
        (
            S("from", "{{flow.channel.address}}", required=True),
            S("to", "{{contact.channel.address}}", required=True),
            B("record", False),
            I("timeout", 60, duration="seconds"),
        ),
        palette=False,
        extra_events=("answeredByMachine", "hangup"),
        outputs=out.OUTGOING_CALL,
    ),
    WidgetType(
        "record-voicemail",
        "Record Voicemail",
        "voice",
        ("recordingComplete", "noAudio", "hangup"),
        "record_voicemail_",
        (
            I("timeout", 5, label="Stop recording after silence (s)", duration="seconds"),
            RAW("finish_on_key", "#", label="Stop recording on key"),
            I("max_length", 3600, label="Max recording length (s)", duration="seconds"),
            B("transcribe", False),
            S("transcription_callback_url"),
            E("trim", TRIM, "trim-silence", older=TRIM_OLDER),
            E("play_beep", YES_NO, "true", also=("boolean",)),
            S("recording_status_callback_url"),
        ),
        description="Record a message from the caller.",
        outputs=out.VOICEMAIL,
    ),
    WidgetType(
        "record-call",
        "Call Recording",
        "voice",
        ("success", "failed"),
        "call_recording_",
        (
            B("record_call", True, required=True, label="Start recording"),
            S("recording_status_callback"),
            E("recording_status_callback_method", HTTP_METHODS, "POST"),
            RAW("recording_status_callback_events", "completed"),
            E("recording_channels", CHANNELS_MONO_DUAL, "dual"),
            E("trim", TRIM, "do-not-trim", older=TRIM_OLDER),
        ),
        description="Start or stop recording the call.",
        outputs=out.RECORDING,
    ),
    WidgetType(
        "enqueue-call",
        "Enqueue Call",
        "voice",
        ("callComplete", "failedToEnqueue", "callFailure"),
        "enqueue_",
        (
            S("queue_name", "", label="Queue name"),
            RAW("workflow_sid", label="TaskRouter workflow"),
            S("task_attributes", multiline=True),
            I("priority", 0, also=("string",)),
            I("timeout", also=("string",), label="Task timeout (s)", duration="seconds"),
            S("wait_url", label="Hold music TwiML URL"),
            E("wait_url_method", HTTP_METHODS, "GET", label="Hold music TwiML method"),
        ),
        description="Put the caller in a queue or a TaskRouter workflow.",
        outputs=out.QUEUE,
    ),
    WidgetType(
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
            RAW("language"),
            KV("parameters", liquid=False),
        ),
        description="Take a card or ACH payment over the phone (PCI mode).",
        outputs=out.PAY,
    ),
    WidgetType(
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
    ),
    WidgetType(
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
    ),
    WidgetType(
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
    ),
    WidgetType(
        "send-to-flex",
        "Send to Flex",
        "other_products",
        ("callComplete", "failedToEnqueue", "callFailure"),
        "send_to_flex_",
        (
            RAW("workflow", "", required=True, label="Workflow (WW…)"),
            RAW("channel", "", required=True, label="Task channel (TC…)"),
            S("attributes", "", multiline=True, assumed="{}", help="Task attributes as JSON."),
            RAW("priority", "0", also=("integer",)),
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
    ),
    WidgetType(
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
    ),
    WidgetType(
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
    ),
    WidgetType(
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
    ),
    WidgetType(
        "run-conversation-relay",
        "Run ConversationRelay",
        "voice",
        ("success", "failed"),
        "conversation_relay_",
        (
            S("url", "", label="WebSocket URL"),
            S("welcome_greeting"),
            RAW("tts_provider"),
            S("voice"),
            S("language"),
            RAW("transcription_provider"),
            S("speech_model"),
            RAW("dtmf_detection", also=("boolean",)),
            RAW("interruptible", also=("boolean",)),
            KV("parameters", []),
        ),
        description="Connect the call to your AI application over a WebSocket.",
        outputs=out.CONVERSATION_RELAY,
    ),
    *(
        WidgetType(type_, label, "legacy", (), prefix, palette=False, documented=False)
        for type_, label, prefix in (
            ("add-member-to-chat-channel", "Add Member To Chat Channel", "add_member_"),
            ("create-chat-channel", "Create Chat Channel", "create_channel_"),
            ("create-task", "Create Task", "create_task_"),
            ("understand", "Understand", "understand_"),
            ("update-sync-object", "Update Sync Object", "update_sync_"),
        )
    ),
)

BY_TYPE: dict[str, WidgetType] = {w.type: w for w in WIDGET_TYPES}
TYPE_NAMES: tuple[str, ...] = tuple(BY_TYPE)

# The 17 predicates of split-based-on (studio-spec §3.1), in the Console's order.
CONDITION_TYPES: tuple[tuple[str, str], ...] = (
    ("equal_to", "Equal To"),
    ("not_equal_to", "Not Equal To"),
    ("matches_any_of", "Matches Any Of"),
    ("does_not_match_any_of", "Does Not Match Any Of"),
    ("is_blank", "Is Blank"),
    ("is_not_blank", "Is Not Blank"),
    ("regex", "Regex"),
    ("contains", "Contains"),
    ("does_not_contain", "Does Not Contain"),
    ("starts_with", "Starts With"),
    ("does_not_start_with", "Does Not Start With"),
    ("less_than", "Less Than"),
    ("greater_than", "Greater Than"),
    ("is_before_time", "Is Before Time"),
    ("is_after_time", "Is After Time"),
    ("is_before_date", "Is Before Date"),
    ("is_after_date", "Is After Date"),
)
CONDITION_TYPE_NAMES: tuple[str, ...] = tuple(name for name, _ in CONDITION_TYPES)

# The channel a widget type needs: "voice" types act on a call in progress, "messaging"
# types on a message conversation; every other type works on any channel ("any"). The
# linter warns when a widget can only be reached from triggers of the other channel.
CHANNELS: dict[str, str] = {
    **{
        type_: "voice"
        for type_ in (
            *("say-play", "gather-input-on-call", "connect-call-to", "record-voicemail"),
            *("record-call", "enqueue-call", "capture-payments", "fork-stream"),
            *("connect-virtual-agent", "connect-virtual-agent-v2", "run-conversation-relay"),
        )
    },
    "send-and-wait-for-reply": "messaging",
}


def channel_of(type_: str) -> str:
    """ "voice", "messaging" or "any" (see CHANNELS)."""
    return CHANNELS.get(type_, "any")


def widget_type(type_: str) -> WidgetType | None:
    return BY_TYPE.get(type_)


def output_declared(widget_type: str, path: str) -> bool | None:
    """Whether widgets of `widget_type` write `path` (relative to `widgets.<name>`, dotted,
    `[0]` and `["key"]` allowed, Liquid's `.size`/`.first`/`.last` at the end); None when
    the type is unknown or nobody documents it, so nothing can be said."""
    found = BY_TYPE.get(widget_type)
    if found is None or not found.documented:
        return None
    return out.declared(found.compiled_outputs, path)


def as_json() -> dict[str, Any]:
    """The catalogue as the canvas consumes it (widget library and inspector)."""

    def prop_json(p: Prop) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": p.name,
            "type": p.type,
            "label": p.title,
            "required": p.required,
            "liquid": p.liquid,
        }
        if p.default is not NO_DEFAULT:
            out["default"] = p.default
        for key in ("enum", "help", "items", "also", "multiline"):
            value = getattr(p, key)
            if value:
                out[key] = list(value) if isinstance(value, tuple) else value
        # Values with the Console's labels: an enumeration's, or a free-text field's offers.
        for key in ("choices", "suggested"):
            if getattr(p, key):
                out[key] = [{"value": v, "label": label} for v, label in getattr(p, key)]
        return out

    return {
        "groups": [{"id": gid, "label": label} for gid, label in GROUPS],
        "widgets": [
            {
                "type": w.type,
                "label": w.label,
                "group": w.group,
                "description": w.description,
                "events": list(w.events),
                "extra_events": list(w.extra_events),
                "repeatable_events": list(w.repeatable_events),
                "event_labels": {e: w.event_label(e) for e in w.allowed_events},
                "name_prefix": w.name_prefix,
                "palette": w.palette,
                "documented": w.documented,
                "properties": [prop_json(p) for p in w.props],
                "default_properties": w.default_properties(),
                "outputs": list(w.outputs),
            }
            for w in WIDGET_TYPES
        ],
        "condition_types": [{"type": t, "label": label} for t, label in CONDITION_TYPES],
    }
