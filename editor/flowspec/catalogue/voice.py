"""Voice: widgets that speak, listen, dial, record and queue on a call.

Say/Play, Gather Input On Call, Connect Call To, Make Outgoing Call (and v1), Record
Voicemail, Call Recording and Enqueue Call, with the properties they share (the spoken
prompt, answering-machine detection). The widgets that hand the call to another
service are in voice_connectors.py.
"""

from __future__ import annotations

from .. import outputs as out
from .. import speech
from .base import (
    CHANNELS_MONO_DUAL,
    HTTP_METHODS,
    RAW,
    TRIM,
    TRIM_OLDER,
    YES_NO,
    B,
    E,
    I,
    S,
    WidgetType,
)

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

SAY_PLAY = WidgetType(
    "say-play",
    "Say/Play",
    "voice",
    ("audioComplete",),
    "say_play_",
    (*VOICE_PROMPT, S("digits", help="DTMF: 0-9 A-D # * w W.")),
    description="Speak text, play audio or send digits on a call.",
    outputs=out.SAY_PLAY,
)

GATHER_INPUT_ON_CALL = WidgetType(
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
    event_labels={
        "keypress": "User Pressed Keys",
        "speech": "User Said Something",
        "timeout": "No Input",
    },
    description="Ask the caller for digits or speech.",
    outputs=out.GATHER,
)

# The SIP fields of Connect Call To, shown (and the endpoint needed) while it connects to a
# SIP endpoint; every other noun dials To.
SIP_ONLY = ("noun", ("sip",))
NOT_SIP = ("noun", ("number", "number-multi", "client", "sim", "conference"))

CONNECT_CALL_TO = WidgetType(
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
        S("to", "", label="To", required_when=NOT_SIP),
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
        S("sip_endpoint", label="SIP endpoint", shown_when=SIP_ONLY, required_when=SIP_ONLY),
        S("sip_username", label="SIP username", shown_when=SIP_ONLY),
        S("sip_password", label="SIP password", shown_when=SIP_ONLY),
    ),
    event_labels={"callCompleted": "Connected Call Ended", "hangup": "Caller Hung Up"},
    description="Dial a number, client, SIM, SIP endpoint or conference.",
    outputs=out.DIAL,
)

# Both Make Outgoing Call versions start with who calls whom and whether it is recorded.
OUTGOING_CALL_ENDS = (
    S("from", "{{flow.channel.address}}", required=True),
    S("to", "{{contact.channel.address}}", required=True),
    B("record", False),
)

MAKE_OUTGOING_CALL_V2 = WidgetType(
    "make-outgoing-call-v2",
    "Make Outgoing Call",
    "voice",
    ("answered", "busy", "noAnswer", "failed"),
    "call_user_",
    (
        *OUTGOING_CALL_ENDS,
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
)

MAKE_OUTGOING_CALL_V1 = WidgetType(
    "make-outgoing-call-v1",
    "Make Outgoing Call (v1)",
    "voice",
    ("answered", "busy", "noAnswer", "failed"),
    "call_user_",
    (
        *OUTGOING_CALL_ENDS,
        I("timeout", 60, duration="seconds"),
    ),
    palette=False,
    extra_events=("answeredByMachine", "hangup"),
    outputs=out.OUTGOING_CALL,
)

RECORD_VOICEMAIL = WidgetType(
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
)

RECORD_CALL = WidgetType(
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
)

ENQUEUE_CALL = WidgetType(
    "enqueue-call",
    "Enqueue Call",
    "voice",
    ("callComplete", "failedToEnqueue", "callFailure"),
    "enqueue_",
    (
        S("queue_name", "", label="Queue name"),
        RAW("workflow_sid", label="TaskRouter workflow"),
        S("task_attributes", multiline=True, json=True, help="Task attributes as JSON."),
        I(
            "priority",
            0,
            also=("string",),
            liquid=True,
            help="A whole number; Liquid is rendered first.",
        ),
        I("timeout", also=("string",), label="Task timeout (s)", duration="seconds"),
        S("wait_url", label="Hold music TwiML URL"),
        E("wait_url_method", HTTP_METHODS, "GET", label="Hold music TwiML method"),
    ),
    description="Put the caller in a queue or a TaskRouter workflow.",
    outputs=out.QUEUE,
)
