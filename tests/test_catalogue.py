"""The widget catalogue covers every Studio type with the events exports list."""

from __future__ import annotations

import re

import pytest

from editor.flowspec import catalogue
from editor.flowspec.catalogue import BY_TYPE, NO_DEFAULT, WIDGET_TYPES
from editor.flowspec.studio_json import join_document, new_state
from editor.flowspec.validate import validate

SCHEMA_ENUM = [
    "add-member-to-chat-channel",
    "add-twiml-redirect",
    "capture-payments",
    "connect-call-to",
    "create-chat-channel",
    "create-task",
    "enqueue-call",
    "fork-stream",
    "gather-input-on-call",
    "make-http-request",
    "make-outgoing-call-v1",
    "make-outgoing-call-v2",
    "record-call",
    "record-voicemail",
    "run-function",
    "run-function-v2",
    "say-play",
    "send-and-wait-for-reply",
    "send-message",
    "send-to-flex",
    "set-variables",
    "split-based-on",
    "run-subflow",
    "trigger",
    "understand",
    "update-sync-object",
    "connect-virtual-agent",
    "connect-virtual-agent-v2",
]
NEWER = [
    "send-to-auto-pilot",
    "start-conversation",
    "resume-conversation",
    "run-conversation-relay",
]

# Studio's events per widget type, in export order.
EVENTS = {
    "trigger": "incomingMessage incomingCall incomingConversationMessage incomingRequest "
    "incomingParent",
    "split-based-on": "noMatch match",
    "set-variables": "next",
    "send-message": "sent failed",
    "send-and-wait-for-reply": "incomingMessage timeout deliveryFailure",
    "make-http-request": "success failed",
    "run-function": "success fail",
    "add-twiml-redirect": "return timeout fail",
    "run-subflow": "completed failed",
    "say-play": "audioComplete",
    "gather-input-on-call": "keypress speech timeout",
    "connect-call-to": "callCompleted hangup",
    "make-outgoing-call-v2": "answered busy noAnswer failed",
    "make-outgoing-call-v1": "answered busy noAnswer failed",
    "record-voicemail": "recordingComplete noAudio hangup",
    "record-call": "success failed",
    "enqueue-call": "callComplete failedToEnqueue callFailure",
    "capture-payments": "success maxFailedAttempts providerError payInterrupted hangup "
    "validationError",
    "fork-stream": "next",
    "connect-virtual-agent": "return hangup",
    "connect-virtual-agent-v2": "completed live-agent-handoff hangup failed",
    "send-to-flex": "callComplete failedToEnqueue callFailure",
    "send-to-auto-pilot": "sessionEnded failure timeout",
    "start-conversation": "created failed",
    "resume-conversation": "resumed failed",
    "run-conversation-relay": "success failed",
}


def test_every_studio_type_string_is_catalogued():
    assert set(SCHEMA_ENUM + NEWER) == set(BY_TYPE)


@pytest.mark.parametrize(("type_", "events"), EVENTS.items())
def test_events_are_in_canonical_export_order(type_, events):
    assert BY_TYPE[type_].events == tuple(events.split())


def test_types_nobody_documents_are_opaque():
    opaque = {w.type for w in WIDGET_TYPES if not w.documented}
    assert opaque == {
        "run-function-v2",
        "add-member-to-chat-channel",
        "create-chat-channel",
        "create-task",
        "understand",
        "update-sync-object",
    }


@pytest.mark.parametrize("widget", WIDGET_TYPES, ids=lambda w: w.type)
def test_defaults_have_the_declared_json_type(widget):
    for prop in widget.props:
        if prop.default is not NO_DEFAULT:
            assert prop.accepts(prop.default), (widget.type, prop.name)
            if prop.enum and prop.type == "string":
                assert prop.default in prop.enum


def test_studio_string_typed_numbers_stay_strings():
    """These look like numbers or booleans but are strings."""
    for type_, name in [
        ("send-and-wait-for-reply", "timeout"),
        ("add-twiml-redirect", "timeout"),
        ("send-to-flex", "timeout"),
        ("send-to-flex", "priority"),
        ("gather-input-on-call", "speech_timeout"),
        ("gather-input-on-call", "profanity_filter"),
        ("record-voicemail", "play_beep"),
        ("capture-payments", "postal_code"),
        ("connect-call-to", "time_limit"),
        ("make-outgoing-call-v2", "machine_detection_timeout"),
        ("connect-virtual-agent", "sentiment_analysis"),
    ]:
        assert BY_TYPE[type_].props_by_name[name].type == "string", (type_, name)
    for type_, name in [("gather-input-on-call", "timeout"), ("say-play", "loop")]:
        assert BY_TYPE[type_].props_by_name[name].type == "integer"
    for type_, name in [("gather-input-on-call", "stop_gather"), ("record-call", "record_call")]:
        assert BY_TYPE[type_].props_by_name[name].type == "boolean"


@pytest.mark.parametrize("widget", [w for w in WIDGET_TYPES if w.palette], ids=lambda w: w.type)
def test_a_freshly_dropped_widget_validates(widget):
    trigger = new_state("trigger", "Trigger")
    state = new_state(widget.type, widget.name_prefix + "1")
    document = join_document({"initial_state": "Trigger"}, [trigger, state])
    problems = [(p.property_path, p.message) for p in validate(document)]
    if widget.type == "run-subflow":
        # The subflow must be chosen before the flow validates.
        assert problems == [
            ("#/states/1/properties/flow_sid", "must be a valid, non-liquid flow sid")
        ]
    else:
        assert problems == []


def test_the_catalogue_serialises_for_the_canvas():
    data = catalogue.as_json()
    assert {g["id"] for g in data["groups"]} >= {"flow_control", "voice", "messaging", "tools"}
    assert len(data["condition_types"]) == 17
    split = next(w for w in data["widgets"] if w["type"] == "split-based-on")
    assert split["repeatable_events"] == ["match"]
    assert split["properties"][0]["required"] is True


def test_every_property_title_reads_as_words_with_studios_capitals():
    """The inspector labels a property by its title: a camelCase name is split into words
    and acronyms are in capitals (never "Waiturlmethod" or "Stream url")."""
    for widget in WIDGET_TYPES:
        for prop in widget.props:
            words = prop.title.split()
            assert all(w not in ("url", "sid", "dtmf", "tts", "twiml", "sip") for w in words), (
                widget.type,
                prop.title,
            )
            if not prop.label:
                parts = re.split(r"_|(?<=[a-z0-9])(?=[A-Z])", prop.name)
                assert len(words) == len(parts), (widget.type, prop.title)
    titles = {p.name: p.title for w in WIDGET_TYPES for p in w.props}
    assert titles["stream_url"] == "Stream URL"
    assert titles["content_sid"] == "Content SID"
    assert catalogue.Prop("waitUrlMethod").title == "Wait URL method"
    assert BY_TYPE["send-to-flex"].props_by_name["waitUrlMethod"].title == "Hold music TwiML method"


def test_connect_call_to_shows_and_needs_its_sip_fields_only_for_a_sip_endpoint():
    served = next(w for w in catalogue.as_json()["widgets"] if w["type"] == "connect-call-to")
    when = {p["name"]: p.get("shown_when") for p in served["properties"]}
    sip = {"property": "noun", "values": ["sip"]}
    assert when["sip_endpoint"] == when["sip_username"] == when["sip_password"] == sip
    assert when["to"] is None and when["noun"] is None
    needed = {p["name"]: p.get("required_when") for p in served["properties"]}
    assert needed["sip_endpoint"] == sip
    assert needed["to"]["property"] == "noun" and "sip" not in needed["to"]["values"]
    assert set(needed["to"]["values"]) | {"sip"} == {
        c["value"] for c in served["properties"][0]["choices"]
    }
