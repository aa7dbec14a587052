"""What each widget type writes under `widgets.<name>.`: the dotted key paths of its outputs.

The catalogue (editor/flowspec/catalogue/) gives every widget type one of these tuples as
`WidgetType.outputs`; the canvas's Liquid autocomplete and the linter read them from there,
and tests/test_catalogue_outputs.py runs every widget type through the engine to check that
each path the engine writes is declared and each declared path is written.

A path is relative to `widgets.<name>`. A segment `*` stands for any key below: `parsed.*`
is anything inside a JSON response, a lone `*` any key at all (Set Variables, Run Subflow).
Parents are declared as well as their children (`outbound` and `outbound.Sid`), since Liquid
can read either. The sources are Twilio's widget documentation (docs/studio-semantics.md)
and what this engine's widget modules (editor/engine/widgets/), the webhooks
(editor/webhooks/views.py) and the test panel (editor/services/test_runs.py, payloads.py)
actually hand it.
"""

from __future__ import annotations

import re

# The parameters Twilio's Voice webhooks carry on every request about a call. A voice
# widget's callback (a verb's action URL, a dial's, a redirect's return) is passed through
# whole, so they all land under the widget.
CALL: tuple[str, ...] = (
    "AccountSid",
    "ApiVersion",
    "CallSid",
    "CallStatus",
    "Called",
    "Caller",
    "Direction",
    "From",
    "To",
    *(
        f"{who}{where}"
        for who in ("Called", "Caller", "From", "To")
        for where in ("City", "State", "Zip", "Country")
    ),
)

# The Message resource Send Message and Send & Wait For Reply record (messaging.py); a
# delivery failure updates Status, ErrorCode and ErrorMessage.
OUTBOUND: tuple[str, ...] = (
    "outbound",
    *(
        f"outbound.{key}"
        for key in (
            "Sid",
            "AccountSid",
            "From",
            "To",
            "Body",
            "Status",
            "Direction",
            "NumMedia",
            "NumSegments",
            "ErrorCode",
            "ErrorMessage",
            "MessagingServiceSid",
        )
    ),
)

# The reply, a verbatim copy of the inbound message webhook (an SMS, WhatsApp or chat
# message, or a Conversations message): the usual keys, and whatever else it carried.
INBOUND: tuple[str, ...] = (
    "inbound",
    *(
        f"inbound.{key}"
        for key in ("Body", "From", "To", "MessageSid", "AccountSid", "NumMedia", "MediaUrl0")
    ),
    "inbound.*",
)

# A request that got no response (refused, timed out, too large): httpcall.failure_outputs.
HTTP_ERROR: tuple[str, ...] = ("error", "error.reason", "error.message")
HTTP: tuple[str, ...] = ("status_code", "content_type", "body", "parsed", "parsed.*", *HTTP_ERROR)
FUNCTION: tuple[str, ...] = (*HTTP, "headers", "headers.x-twilio-function-concurrency")

# Any key: the variables a Set Variables sets, a subflow's variables, a redirect's parameters.
ANY: tuple[str, ...] = ("*",)

SAY_PLAY: tuple[str, ...] = ("language", "voice", *CALL)
GATHER: tuple[str, ...] = ("Digits", "SpeechResult", "Confidence", *CALL)
DIAL: tuple[str, ...] = ("DialCallStatus", "DialCallSid", "DialCallDuration", "RecordingUrl", *CALL)
# Make Outgoing Call: the placed call's status callback, or why it was never placed.
OUTGOING_CALL: tuple[str, ...] = (
    *CALL,
    "AnsweredBy",
    "MachineDetectionDuration",
    "ErrorMessage",
)
VOICEMAIL: tuple[str, ...] = ("RecordingUrl", "RecordingDuration", "RecordingSid", "Digits", *CALL)
# Call Recording: the Recording resource the engine starts (record_call.py).
RECORDING: tuple[str, ...] = ("Sid", "AccountSid", "CallSid", "Status", "Channels", "Source")
QUEUE: tuple[str, ...] = ("QueueResult", "QueueSid", "QueueTime", *CALL)
PAY: tuple[str, ...] = (
    "Result",
    "PaymentToken",
    "PaymentConfirmationCode",
    "ProfileId",
    "PaymentCardNumber",
    "PaymentCardType",
    "PaymentCardPostalCode",
    "ExpirationDate",
    "SecurityCode",
    *CALL,
)
VIRTUAL_AGENT: tuple[str, ...] = (
    "VirtualAgentProvider",
    "VirtualAgentStatus",
    # Twilio posts it as JSON text; the widget records it parsed, as Studio does
    # (editor/engine/widgets/connect_virtual_agent.py).
    "VirtualAgentProviderData",
    "VirtualAgentProviderData.ConversationId",
    "VirtualAgentProviderData.EndUserId",
    "VirtualAgentProviderData.AgentHandoffParameters",
    "VirtualAgentProviderData.AgentHandoffParameters.*",
    "VirtualAgentError",
    "VirtualAgentErrorCode",
    "VirtualAgentProviderError",
    *CALL,
)
# Send to Flex: the task a messaging execution creates, or the <Enqueue> callback of a call.
FLEX: tuple[str, ...] = ("TaskSid", "Attributes", "Age", *QUEUE)
# Autopilot (retired) posted its Memory as JSON text; flows read it parsed, as `memory`.
AUTOPILOT: tuple[str, ...] = ("CurrentTask", "Memory", "memory", "memory.*", "Status")
START_CONVERSATION: tuple[str, ...] = (
    "conversation",
    "conversation.sid",
    "conversation.friendly_name",
    "conversation.attributes",
    "conversation.service_sid",
)
RESUME_CONVERSATION: tuple[str, ...] = ("conversation", "conversation.sid")
CONVERSATION_RELAY: tuple[str, ...] = (
    "SessionId",
    "SessionStatus",
    "SessionDuration",
    "HandoffData",
    "ErrorCode",
    "ErrorMessage",
    *CALL,
)

# Liquid reads these of any value (`parsed.items.size`), so they follow any declared path.
LIQUID_PROPERTIES = frozenset({"size", "first", "last"})

_INDEX = re.compile(r"""\[\s*(?:"([^"]*)"|'([^']*)'|(-?\d+))\s*\]""")


def segments(path: str) -> list[str]:
    """`parsed.items[0]["a b"]` -> ["parsed", "items", "0", "a b"]."""
    out: list[str] = []
    position = 0
    for match in _INDEX.finditer(path):
        out.extend(s for s in path[position : match.start()].split(".") if s)
        out.append(next(g for g in match.groups() if g is not None))
        position = match.end()
    out.extend(s for s in path[position:].split(".") if s)
    return out


def compile_outputs(outputs: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """The exact paths (joined by ".") and the wildcard prefixes (the segments before `*`)."""
    exact = frozenset(p for p in outputs if "*" not in p.split("."))
    wild = tuple(tuple(p.split(".")[: p.split(".").index("*")]) for p in outputs if p not in exact)
    return exact, wild


def declared(compiled: tuple[frozenset[str], tuple[tuple[str, ...], ...]], path: str) -> bool:
    """Whether `path` (relative to `widgets.<name>`) is one the outputs declare."""
    exact, wild = compiled
    parts = segments(path)
    if not parts:
        return bool(exact or wild)
    if ".".join(parts) in exact:
        return True
    for prefix in wild:
        if len(parts) > len(prefix) and tuple(parts[: len(prefix)]) == prefix:
            return True
    if parts[-1] in LIQUID_PROPERTIES and len(parts) > 1:
        return declared(compiled, ".".join(parts[:-1]))
    return False
