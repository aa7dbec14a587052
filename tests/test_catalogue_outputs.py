"""The catalogue's declared outputs (WidgetType.outputs, editor/flowspec/outputs.py) against
what the engine writes into `widgets.<name>`.

Every widget type runs through the engine: the cases of tests/data/widgets, and the scenarios
below, which hand it what Twilio's webhooks, the test panel (editor/services/test_runs.py,
payloads.py) and the outbox (editor/services/outbox_failures.py) deliver. Every key path
written must be declared, and every declared path must be written by some scenario, so the
declaration can rot neither way. A Liquid error's `error` (runtime.Run.fail) is left out: the
execution ends there, so no widget can read it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from editor.engine import runtime
from editor.engine.widgets import WIDGETS
from editor.flowspec import outputs as out
from editor.flowspec.catalogue import BY_TYPE, WIDGET_TYPES, as_json, output_declared
from editor.services.payloads import conversation_payload, message_payload

from .engine_support import (
    ACCOUNT_SID,
    CONTACT,
    FLOW_ADDRESS,
    FakeHttp,
    Subflows,
    make_ports,
    start,
    widget_flow,
)
from .test_widgets import case_params, run_case

CALL_SID = "CA" + "2" * 32
SUBFLOW_SID = "FW" + "d" * 32


def call_params(**extra: Any) -> dict[str, Any]:
    """What Twilio posts to a voice verb's action URL about the call, and the verb's own."""
    params = {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": CALL_SID,
        "CallStatus": "in-progress",
        "Called": FLOW_ADDRESS,
        "Caller": CONTACT,
        "Direction": "inbound",
        "From": CONTACT,
        "To": FLOW_ADDRESS,
    }
    for who in ("Called", "Caller", "From", "To"):
        params.update({f"{who}City": "SEATTLE", f"{who}State": "WA", f"{who}Zip": "98101"})
        params[f"{who}Country"] = "US"
    return {**params, **extra}


def widget(type_: str, properties: dict[str, Any] | None = None) -> dict[str, Any]:
    """A widget of `type_` named `w` with every event its type has, each leading to a sink."""
    events = BY_TYPE[type_].events
    transitions = [{"event": e} for e in events]
    if type_ == "split-based-on":
        condition = {"friendly_name": "x", "arguments": ["a"], "type": "equal_to", "value": "a"}
        transitions = [{"event": "noMatch"}, {"event": "match", "conditions": [condition]}]
    return {"name": "w", "type": type_, "transitions": transitions, "properties": properties or {}}


def callback(**params: Any) -> dict[str, Any]:
    return {"type": "callback", "params": params}


def fired(event: str, **params: Any) -> dict[str, Any]:
    """An event named by the test panel's buttons (or by the outbox), with its parameters."""
    return {"type": "event", "event": event, "params": params}


def reply(message: dict[str, Any]) -> dict[str, Any]:
    return {"type": "reply", "message": message}


def sms(body: str = "yes", media_url: str = "", channel: str = "sms") -> dict[str, Any]:
    return message_payload(ACCOUNT_SID, CONTACT, FLOW_ADDRESS, body, media_url, channel)


TIMEOUT = {"type": "timeout"}
HANGUP = {"type": "hangup", "params": {"CallSid": CALL_SID, "CallStatus": "completed"}}
JSON_OK = {"status_code": 200, "content_type": "application/json", "body": '{"a": {"b": 1}}'}
CONCURRENCY = {"x-twilio-function-concurrency": "1"}
SUBFLOW = {
    "states": [
        {
            "name": "Trigger",
            "type": "trigger",
            "transitions": [{"event": "incomingParent", "next": "set"}],
            "properties": {},
        },
        {
            "name": "set",
            "type": "set-variables",
            "transitions": [{"event": "next"}],
            "properties": {"variables": [{"key": "answer", "value": "42"}]},
        },
    ],
    "initial_state": "Trigger",
}
STATUS_CALLBACK = {
    "MessageSid": "SM" + "0" * 31 + "1",
    "MessageStatus": "undelivered",
    "SmsStatus": "undelivered",
    "ErrorCode": "30005",
    "AccountSid": ACCOUNT_SID,
}
VIRTUAL_AGENT = {
    "VirtualAgentProvider": "DialogflowCX",
    "VirtualAgentStatus": "completed",
    "VirtualAgentProviderData": '{"ConversationId": "c1"}',
    "VirtualAgentError": "",
    "VirtualAgentErrorCode": "",
    "VirtualAgentProviderError": "",
}
PROVIDER_DATA = {
    "ConversationId": "c1",
    "EndUserId": "u1",
    "AgentHandoffParameters": {"reason": "billing"},
}
PAYMENT = {
    "Result": "success",
    "PaymentToken": "tok_1",
    "PaymentConfirmationCode": "ch_1",
    "ProfileId": "",
    "PaymentCardNumber": "xxxx1111",
    "PaymentCardType": "visa",
    "PaymentCardPostalCode": "98101",
    "ExpirationDate": "1230",
    "SecurityCode": "xxx",
}

# (type, properties, trigger kind, events delivered, extra: http script, data)
SCENARIOS: list[tuple[str, dict[str, Any], str, list[dict[str, Any]], dict[str, Any]]] = [
    ("trigger", {}, "message", [], {}),
    ("split-based-on", {"input": "a"}, "message", [], {}),
    ("set-variables", {"variables": [{"key": "a", "value": "1"}]}, "message", [], {}),
    ("run-subflow", {"flow_sid": SUBFLOW_SID, "flow_revision": "1"}, "message", [], {}),
    ("run-subflow", {"flow_sid": "FW" + "e" * 32}, "message", [], {}),
    ("send-message", {"body": "hi", "from": "MG" + "f" * 32}, "message", [], {}),
    ("send-message", {"body": ""}, "message", [], {}),
    ("send-and-wait-for-reply", {"body": "?"}, "message", [reply(sms())], {}),
    ("send-and-wait-for-reply", {"body": "?"}, "message", [reply(sms("", "https://x/a.png"))], {}),
    ("send-and-wait-for-reply", {"body": "?"}, "message", [reply(sms(channel="whatsapp"))], {}),
    ("send-and-wait-for-reply", {"body": "?"}, "message", [reply(sms(channel="chat"))], {}),
    (
        "send-and-wait-for-reply",
        {"body": "?"},
        "conversation",
        [reply(conversation_payload(ACCOUNT_SID, author=CONTACT, body="yes"))],
        {},
    ),
    ("send-and-wait-for-reply", {"body": "?"}, "message", [TIMEOUT], {}),
    ("send-and-wait-for-reply", {"body": "?", "from": "MG" + "f" * 32}, "message", [TIMEOUT], {}),
    ("send-and-wait-for-reply", {"body": "?"}, "message", [fired("deliveryFailure")], {}),
    (
        "send-and-wait-for-reply",
        {"body": "?"},
        "message",
        [fired("deliveryFailure", **STATUS_CALLBACK)],
        {},
    ),
    (
        "send-and-wait-for-reply",
        {"body": "?"},
        "message",
        [fired("deliveryFailure", ErrorMessage="Twilio refused it", MessageStatus="failed")],
        {},
    ),
    ("send-and-wait-for-reply", {"body": ""}, "message", [], {}),
    ("make-http-request", {"url": "https://example.com/"}, "message", [], {"http": [JSON_OK]}),
    (
        "make-http-request",
        {"url": "https://example.com/"},
        "message",
        [],
        {"http": [{"failure": "timeout"}]},
    ),
    (
        "run-function",
        {"url": "https://f.twil.io/x"},
        "message",
        [],
        {"http": [{**JSON_OK, "headers": CONCURRENCY}]},
    ),
    ("run-function", {"url": "https://f.twil.io/x"}, "message", [], {"http": []}),
    (
        "add-twiml-redirect",
        {"url": "https://example.com/twiml"},
        "call",
        [{"type": "return", "params": call_params(FlowEvent="return", foo="bar")}],
        {},
    ),
    ("add-twiml-redirect", {"url": "https://example.com/twiml"}, "call", [TIMEOUT], {}),
    ("add-twiml-redirect", {"url": "not a url"}, "call", [], {}),
    ("say-play", {"say": "Hello"}, "call", [callback(**call_params())], {}),
    ("say-play", {"say": "Hello"}, "call", [callback()], {}),
    ("gather-input-on-call", {"say": "?"}, "call", [callback(**call_params(Digits="1"))], {}),
    (
        "gather-input-on-call",
        {"say": "?"},
        "call",
        [callback(**call_params(SpeechResult="yes", Confidence="0.9"))],
        {},
    ),
    ("gather-input-on-call", {"say": "?"}, "call", [callback(**call_params())], {}),
    (
        "connect-call-to",
        {"to": "+15550001111"},
        "call",
        [
            callback(
                **call_params(
                    DialCallStatus="completed",
                    DialCallSid="CA" + "9" * 32,
                    DialCallDuration="12",
                    RecordingUrl="https://api.twilio.com/rec",
                )
            )
        ],
        {},
    ),
    ("connect-call-to", {"to": "+15550001111"}, "call", [HANGUP], {}),
    *(
        (
            type_,
            {},
            "request",
            [callback(**call_params(AnsweredBy="human", MachineDetectionDuration="1200"))],
            {},
        )
        for type_ in ("make-outgoing-call-v2", "make-outgoing-call-v1")
    ),
    *(
        (type_, {}, "request", [callback(CallStatus="failed", ErrorMessage="no route")], {})
        for type_ in ("make-outgoing-call-v2", "make-outgoing-call-v1")
    ),
    (
        "record-voicemail",
        {},
        "call",
        [
            callback(
                **call_params(
                    RecordingUrl="https://api.twilio.com/rec",
                    RecordingDuration="7",
                    RecordingSid="RE" + "1" * 32,
                    Digits="#",
                )
            )
        ],
        {},
    ),
    ("record-voicemail", {}, "call", [HANGUP], {}),
    ("record-call", {"record_call": True}, "call", [], {}),
    ("record-call", {"record_call": True}, "message", [], {}),
    (
        "enqueue-call",
        {"queue_name": "support"},
        "call",
        [callback(**call_params(QueueResult="bridged", QueueSid="QU1", QueueTime="30"))],
        {},
    ),
    ("capture-payments", {}, "call", [callback(**call_params(**PAYMENT))], {}),
    ("capture-payments", {}, "call", [HANGUP], {}),
    ("fork-stream", {"stream_url": "wss://example.com/s"}, "call", [], {}),
    *(
        (type_, {}, "call", [callback(**call_params(**VIRTUAL_AGENT))], {})
        for type_ in ("connect-virtual-agent", "connect-virtual-agent-v2")
    ),
    *(
        (type_, {}, "call", [fired("hangup", VirtualAgentProviderData=PROVIDER_DATA)], {})
        for type_ in ("connect-virtual-agent", "connect-virtual-agent-v2")
    ),
    ("send-to-flex", {"workflow": "WW1", "channel": "TC1"}, "message", [], {}),
    (
        "send-to-flex",
        {"workflow": "WW1", "channel": "TC1"},
        "call",
        [callback(**call_params(QueueResult="bridged", QueueSid="QU1", QueueTime="30"))],
        {},
    ),
    ("send-to-flex", {"workflow": "WW1", "channel": "TC1", "attributes": "{"}, "message", [], {}),
    (
        "send-to-auto-pilot",
        {},
        "message",
        [callback(CurrentTask="goodbye", Memory='{"a": 1}', Status="completed")],
        {},
    ),
    ("send-to-auto-pilot", {}, "message", [fired("sessionEnded", memory={"a": 1})], {}),
    ("start-conversation", {"friendly_name": "c"}, "request", [], {}),
    ("start-conversation", {}, "message", [], {}),
    ("resume-conversation", {"conversation_sid": "CH" + "4" * 32}, "message", [], {}),
    ("resume-conversation", {}, "message", [], {}),
    (
        "run-conversation-relay",
        {"url": "wss://example.com/ai"},
        "call",
        [
            callback(
                **call_params(
                    SessionId="VX1",
                    SessionStatus="ended",
                    SessionDuration="30",
                    HandoffData='{"reason": "agent"}',
                )
            )
        ],
        {},
    ),
    (
        "run-conversation-relay",
        {"url": "wss://example.com/ai"},
        "call",
        [callback(**call_params(SessionStatus="failed", ErrorCode="64101", ErrorMessage="x"))],
        {},
    ),
]


def run_scenario(
    type_: str, properties: dict[str, Any], kind: str, events: list[dict[str, Any]], extra: dict
) -> None:
    definition = widget_flow(widget(type_, properties))
    http = FakeHttp(extra.get("http", []))
    ports = make_ports(http=http, subflows=Subflows({SUBFLOW_SID: (1, SUBFLOW)}))
    result = start(definition, kind, ports=ports)
    for event in events:
        if event.get("type") == "timeout":
            event = {**event, "wait_id": result.state["wait"]["id"]}
        result = runtime.resume(definition, result.state, event, ports)
        assert result.handled, (type_, event)


def paths(value: Any, prefix: str = "") -> list[str]:
    """Every key path inside a JSON object (lists are leaves)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found.append(path)
            found.extend(paths(inner, path))
    return found


@functools.cache
def written() -> dict[str, frozenset[str]]:
    """type -> every key path the engine wrote under a widget of that type."""
    seen: dict[str, set[str]] = defaultdict(set)
    write, fail = runtime.Run.write_outputs, runtime.Run.fail
    failing: list[bool] = []

    def recording_write(self: runtime.Run, widget: Any, outputs: dict[str, Any]) -> None:
        write(self, widget, outputs)
        if not failing:
            seen[widget.type].update(paths(self.context["widgets"][widget.name]))

    def quiet_fail(self: runtime.Run, widget: Any, message: str) -> None:
        failing.append(True)
        try:
            fail(self, widget, message)
        finally:
            failing.pop()

    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(runtime.Run, "write_outputs", recording_write))
        stack.enter_context(mock.patch.object(runtime.Run, "fail", quiet_fail))
        for scenario in SCENARIOS:
            run_scenario(*scenario)
        for param in case_params():
            run_case(*param.values)
    return {type_: frozenset(found) for type_, found in seen.items()}


ENGINE_TYPES = sorted(w.type for w in WIDGETS)


def test_the_engine_runs_every_documented_type_and_no_other():
    documented = {w.type for w in WIDGET_TYPES if w.documented}
    assert set(ENGINE_TYPES) == documented


def test_every_engine_type_runs_in_a_scenario_of_this_file():
    assert {scenario[0] for scenario in SCENARIOS} == set(ENGINE_TYPES)


@pytest.mark.parametrize("type_", ENGINE_TYPES)
def test_every_path_the_engine_writes_is_declared(type_):
    undeclared = sorted(p for p in written().get(type_, ()) if not output_declared(type_, p))
    assert not undeclared, f"{type_} writes {undeclared}; declare them in its outputs"


@pytest.mark.parametrize("type_", ENGINE_TYPES)
def test_every_declared_path_is_written_by_some_scenario(type_):
    found = written().get(type_, frozenset())
    exact, wild = out.compile_outputs(BY_TYPE[type_].outputs)
    never = sorted(exact - found)
    assert not never, f"{type_} declares {never} but no scenario writes them"
    for prefix in wild:
        below = [p for p in found if tuple(p.split("."))[: len(prefix)] == prefix]
        assert any(len(p.split(".")) > len(prefix) for p in below), (type_, prefix)


def test_widgets_that_write_nothing_declare_nothing():
    for type_ in ("trigger", "split-based-on", "fork-stream"):
        assert BY_TYPE[type_].outputs == ()
        assert written().get(type_, frozenset()) == frozenset()


@pytest.mark.parametrize(
    ("type_", "path", "expected"),
    [
        ("make-http-request", "parsed.items[0].name", True),
        ("make-http-request", 'parsed["a b"]', True),
        ("make-http-request", "parsed", True),
        ("make-http-request", "body", True),
        ("make-http-request", "headers", False),
        ("run-function", "headers.x-twilio-function-concurrency", True),
        ("send-and-wait-for-reply", "inbound.Body.size", True),
        ("send-and-wait-for-reply", "inbound.AnythingTwilioSent", True),
        ("send-and-wait-for-reply", "outbound.Nope", False),
        ("send-message", "inbound.Body", False),
        ("set-variables", "anything.below", True),
        ("gather-input-on-call", "Digits", True),
        ("gather-input-on-call", "digits", False),
        ("trigger", "x", False),
        ("create-task", "x", None),
        ("no-such-type", "x", None),
    ],
)
def test_output_declared(type_, path, expected):
    assert output_declared(type_, path) is expected


def test_the_canvas_gets_each_types_outputs():
    served = {w["type"]: w["outputs"] for w in as_json()["widgets"]}
    http = ["status_code", "content_type", "body", "parsed", "parsed.*"]
    assert served["make-http-request"][:5] == http
    assert all(served[w.type] == list(w.outputs) for w in WIDGET_TYPES)


FIXTURE = Path(__file__).resolve().parent / "data" / "catalogue" / "outputs.json"


def test_the_canvas_tests_read_the_catalogues_outputs():
    """editor/frontend/tests/liquid.test.js completes from this copy of as_json()'s outputs;
    after changing the declaration, write it again with the lines below."""
    served = {w["type"]: w["outputs"] for w in as_json()["widgets"]}
    if os.environ.get("WRITE_FIXTURES"):
        FIXTURE.write_text(json.dumps(served, indent=1) + "\n", encoding="utf-8")
    assert json.loads(FIXTURE.read_text(encoding="utf-8")) == served, (
        "run WRITE_FIXTURES=1 pytest tests/test_catalogue_outputs.py to update " + str(FIXTURE)
    )
