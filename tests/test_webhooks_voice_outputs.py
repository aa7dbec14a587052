"""One incoming call driven through every voice widget the way Twilio drives it: the signed
voice webhook, then each verb's action (or the Redirect after it) with Twilio's own
parameter names, then the number's status callback. Each widget leaves by the event its
callback means and records `widgets.NAME.*` as Studio does (the catalogue's outputs, "Context
out"), which the next widget's Liquid reads."""

from __future__ import annotations

import json

import pytest

from editor.models import Execution

from .engine_support import flow, state
from .twilio_support import SERVER, call, connect, post, published, twiml, verbs, webhook_path

pytestmark = pytest.mark.django_db
CALL = "CA" + "1" * 32
DIALLED = "CA" + "9" * 32
RECORDING = "RE" + "2" * 32
PROVIDER_DATA = {"ConversationId": "conv-7", "EndUserId": "user-3", "AgentHandoffParameters": {}}

STATES = [
    state("hello", "say-play", {"say": "Hi", "voice": "Polly.Amy"}, audioComplete="menu"),
    state(
        "menu",
        "gather-input-on-call",
        {"say": "Press or say", "number_of_digits": 1},
        keypress="dial",
        speech="dial",
        timeout="dial",
    ),
    state(
        "dial",
        "connect-call-to",
        {"noun": "number", "to": "+1555000010{{widgets.menu.Digits}}"},
        callCompleted="voicemail",
        hangup=None,
    ),
    state(
        "voicemail",
        "record-voicemail",
        {"max_length": 60},
        recordingComplete="queue",
        noAudio="queue",
        hangup=None,
    ),
    state(
        "queue",
        "enqueue-call",
        {"queue_name": "after-{{widgets.dial.DialCallStatus}}"},
        callComplete="pay",
        failedToEnqueue=None,
        callFailure=None,
    ),
    state(
        "pay",
        "capture-payments",
        {"payment_connector": "Stripe", "payment_amount": "{{widgets.queue.QueueTime}}"},
        success="agent",
        maxFailedAttempts=None,
        providerError=None,
        payInterrupted=None,
        hangup=None,
        validationError=None,
    ),
    state(
        "agent",
        "connect-virtual-agent-v2",
        {
            "connector_name": "cx",
            "parameters": [{"key": "paid", "value": "{{widgets.pay.Result}}"}],
        },
        completed="relay",
        live__agent__handoff=None,
        hangup=None,
        failed=None,
    ),
    state(
        "relay",
        "run-conversation-relay",
        {"url": "wss://ai.example.com/{{widgets.agent.VirtualAgentProviderData.ConversationId}}"},
        success="away",
        failed=None,
    ),
    state(
        "away",
        "add-twiml-redirect",
        {"url": "https://example.com/survey?session={{widgets.relay.SessionId}}"},
        **{"return": "bye", "timeout": None, "fail": None},
    ),
    state(
        "bye",
        "say-play",
        {
            "say": "{{widgets.menu.Digits}} {{widgets.dial.DialCallDuration}} "
            "{{widgets.voicemail.RecordingDuration}} {{widgets.pay.PaymentCardType}} "
            "{{widgets.agent.VirtualAgentProviderData.EndUserId}} {{widgets.away.score}}"
        },
        audioComplete=None,
    ),
]

# Twilio's request for each widget's action URL (or its Redirect), with the verb's own
# parameters, and the event each one means.
ACTIONS = [
    ("hello", "Say", {}, "audioComplete"),
    ("menu", "Gather", {"Digits": "2"}, "keypress"),
    (
        "dial",
        "Dial",
        {"DialCallStatus": "completed", "DialCallSid": DIALLED, "DialCallDuration": "42"},
        "callCompleted",
    ),
    (
        "voicemail",
        "Record",
        {
            "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/" + RECORDING,
            "RecordingSid": RECORDING,
            "RecordingDuration": "7",
            "Digits": "#",
        },
        "recordingComplete",
    ),
    (
        "queue",
        "Enqueue",
        {"QueueResult": "bridged", "QueueSid": "QU" + "4" * 32, "QueueTime": "15"},
        "callComplete",
    ),
    (
        "pay",
        "Pay",
        {
            "Result": "success",
            "PaymentConfirmationCode": "ch_123",
            "PaymentCardNumber": "xxxxxxxxxxxx4242",
            "PaymentCardType": "visa",
            "ExpirationDate": "1230",
        },
        "success",
    ),
    (
        "agent",
        "Connect",
        {
            "VirtualAgentProvider": "DialogflowCX",
            "VirtualAgentStatus": "completed",
            "VirtualAgentProviderData": json.dumps(PROVIDER_DATA),
        },
        "completed",
    ),
    ("relay", "Connect", {"SessionId": "VX1", "SessionStatus": "ended"}, "success"),
]


def action_url(root) -> str:
    url = next((e.get("action") for e in root.iter() if e.get("action")), None)
    return url or root.find("Redirect").text


@pytest.fixture
def walked(team):
    connect(team)
    flow_ = published(team, flow(*STATES), "Every voice widget")
    root = twiml(post(webhook_path(flow_), call(CALL)))
    seen = {}  # the TwiML each widget answered with, by widget
    for name, verb, params, _ in ACTIONS:
        seen[name] = root
        assert verbs(root)[0] == verb, name
        url = action_url(root).removeprefix(SERVER)
        root = twiml(post(url, call(CALL, "in-progress", **params)))
    assert verbs(root) == ["Redirect"]
    path = webhook_path(flow_) + "?FlowEvent=return&score=9"
    bye = twiml(post(path, call(CALL, "in-progress")))
    return Execution.objects.get(flow=flow_), seen, bye


def test_each_widget_leaves_by_the_event_its_callback_means(walked):
    execution, _, bye = walked
    steps = [(s.transitioned_from, s.name) for s in execution.steps.order_by("position")]
    expected = [(name, event) for name, _, _, event in ACTIONS] + [("away", "return")]
    assert steps == [("Trigger", "incomingCall"), *expected]
    assert verbs(bye) == ["Say", "Redirect"] and execution.wait["widget"] == "bye"


def test_each_widget_records_its_callback_as_studio_does(walked):
    execution, _, _ = walked
    widgets = execution.context["widgets"]
    for name, _, params, _ in ACTIONS:
        recorded = {k: widgets[name].get(k) for k in params if k != "VirtualAgentProviderData"}
        assert recorded == {k: v for k, v in params.items() if k != "VirtualAgentProviderData"}
        # Every action carries the call's own parameters too.
        assert widgets[name]["CallSid"] == CALL and widgets[name]["CallStatus"] == "in-progress"
    assert (widgets["hello"]["voice"], widgets["hello"]["language"]) == ("Polly.Amy", "en-US")
    assert widgets["away"]["score"] == "9" and "FlowEvent" not in widgets["away"]


def test_the_virtual_agents_provider_data_is_recorded_parsed(walked):
    # Twilio posts VirtualAgentProviderData as JSON text; Studio's flows read inside it.
    execution, seen, _ = walked
    assert execution.context["widgets"]["agent"]["VirtualAgentProviderData"] == PROVIDER_DATA
    relay = seen["relay"].find("Connect/ConversationRelay")
    assert relay.get("url") == "wss://ai.example.com/conv-7"


def test_the_next_widgets_liquid_reads_what_each_recorded(walked):
    _, seen, bye = walked
    assert seen["dial"].find("Dial/Number").text == "+15550000102"
    assert seen["queue"].find("Enqueue").text == "after-completed"
    assert seen["pay"].find("Pay").get("chargeAmount") == "15"
    agent = seen["agent"].find("Connect/VirtualAgent/Parameter")
    assert (agent.get("name"), agent.get("value")) == ("paid", "success")
    assert bye.find("Say").text == "2 42 7 visa user-3 9"


def test_provider_data_that_is_not_a_json_object_stays_as_it_came(team):
    connect(team)
    definition = flow(
        state(
            "agent", "connect-virtual-agent", {"connector": "es"}, **{"return": None}, hangup=None
        )
    )
    flow_ = published(team, definition, "ES agent")
    root = twiml(post(webhook_path(flow_), call(CALL)))
    garbled = {"VirtualAgentProviderData": "{not json", "VirtualAgentStatus": "completed"}
    twiml(post(action_url(root).removeprefix(SERVER), call(CALL, "in-progress", **garbled)))
    execution = Execution.objects.get(flow=flow_)
    assert execution.steps.last().name == "return"
    assert execution.context["widgets"]["agent"]["VirtualAgentProviderData"] == "{not json"
