"""The scenarios tests/test_catalogue_outputs.py runs: each widget type with what Twilio's
webhooks, the test panel (editor/services/test_runs.py, payloads.py) and the outbox
(editor/services/outbox_failures.py) deliver to it."""

from __future__ import annotations

from typing import Any

from editor.engine import runtime
from editor.flowspec.catalogue import BY_TYPE
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
