"""`manage.py run_flow` on flows shaped like public Studio exports: the transcript keeps the
order things happened in, and the shell's channel answers every voice widget."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.models import Execution

from .test_run_flow import CONTACT, run_flow

pytestmark = pytest.mark.django_db


def gather_until_code() -> str:
    """A Gather that its split sends back to itself until the caller keys the code, as the
    "Gather until code entered" export of tigerfarm/work (studio/VoiceGatherUntilCode)."""
    return json.dumps(
        {
            "description": "Gather until code entered",
            "states": [
                {
                    "name": "Trigger",
                    "type": "trigger",
                    "transitions": [
                        {"event": "incomingMessage"},
                        {"next": "gather_1", "event": "incomingCall"},
                    ],
                    "properties": {"offset": {"x": 0, "y": 0}},
                },
                {
                    "name": "gather_1",
                    "type": "gather-input-on-call",
                    "transitions": [
                        {"next": "split_1", "event": "keypress"},
                        {"next": "gather_1", "event": "speech"},
                        {"next": "gather_1", "event": "timeout"},
                    ],
                    "properties": {
                        "number_of_digits": 3,
                        "offset": {"x": 0, "y": 200},
                        "timeout": 30,
                    },
                },
                {
                    "name": "split_1",
                    "type": "split-based-on",
                    "transitions": [
                        {"next": "gather_1", "event": "noMatch"},
                        {
                            "next": "say_play_2",
                            "event": "match",
                            "conditions": [
                                {
                                    "friendly_name": "If value equal_to 123",
                                    "arguments": ["{{widgets.gather_1.Digits}}"],
                                    "type": "equal_to",
                                    "value": "123",
                                }
                            ],
                        },
                    ],
                    "properties": {
                        "input": "{{widgets.gather_1.Digits}}",
                        "offset": {"x": 0, "y": 400},
                    },
                },
                {
                    "name": "say_play_2",
                    "type": "say-play",
                    "transitions": [{"event": "audioComplete"}],
                    "properties": {
                        "offset": {"x": 0, "y": 600},
                        "loop": 1,
                        "say": "Code accepted.",
                    },
                },
            ],
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": True},
        }
    )


def test_a_gather_sent_back_to_itself_prompts_after_the_steps_that_lead_back(team):
    """The widget's new prompt comes after the split that returns to it, not before the
    keypress that left it: the transcript keeps the order in which things happened."""
    flow = services.import_flow(team, gather_until_code(), publish=True)

    lines, err = run_flow(flow, "--trigger", "call", "--digits", "999", "--digits", "123")

    assert lines == [
        f"call from {CONTACT} to +15550000000",
        "Trigger --incomingCall--> gather_1",
        "gather: silence (timeout 30 s)",
        "waiting for call input",
        "← digits: 999",
        "gather_1 --keypress--> split_1",
        "split_1 --noMatch--> gather_1",
        "gather: silence (timeout 30 s)",
        "waiting for call input",
        "← digits: 123",
        "gather_1 --keypress--> split_1",
        "split_1 --match--> say_play_2",
        'say "Code accepted."',
        "say_play_2 --audioComplete--> Ended",
        "ended: FLOW_END",
    ]
    assert err == ""


def definition(*states: dict, **trigger: str) -> str:
    wired = [{"next": name, "event": event} for event, name in trigger.items()]
    return json.dumps(
        {
            "description": "A New Flow",
            "states": [
                {
                    "name": "Trigger",
                    "type": "trigger",
                    "transitions": wired,
                    "properties": {"offset": {"x": 0, "y": 0}},
                },
                *states,
            ],
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": True},
        }
    )


def say(name: str, text: str) -> dict:
    return {
        "name": name,
        "type": "say-play",
        "transitions": [{"event": "audioComplete"}],
        "properties": {"offset": {"x": 0, "y": 400}, "loop": 1, "say": text},
    }


def test_an_outgoing_call_is_answered_and_the_flow_goes_on(team):
    """A REST-triggered dialer (the Make Outgoing Call example of Twilio's flow-definition
    page, as a blog copied it): the shell's channel answers the call it places."""
    call = {
        "name": "call_user_1",
        "type": "make-outgoing-call-v2",
        "transitions": [
            {"event": "answered", "next": "say_play_1"},
            {"event": "busy"},
            {"event": "noAnswer"},
            {"event": "failed"},
        ],
        "properties": {
            "machine_detection_speech_threshold": "2400",
            "detect_answering_machine": False,
            "offset": {"x": 490, "y": 210},
            "from": "{{flow.channel.address}}",
            "to": "{{contact.channel.address}}",
            "record": False,
            "machine_detection_timeout": "30",
            "trim": "trim-silence",
            "timeout": 60,
            "machine_detection": "Enable",
            "recording_channels": "mono",
        },
    }
    text = definition(call, say("say_play_1", "Hello world!"), incomingRequest="call_user_1")
    flow = services.import_flow(team, text, publish=True)

    lines, err = run_flow(flow, "--trigger", "request")

    assert lines[1:] == [
        "Trigger --incomingRequest--> call_user_1",
        f"call: {CONTACT} from +15550000000",
        "call_user_1 --answered--> say_play_1",
        'say "Hello world!"',
        "say_play_1 --audioComplete--> Ended",
        "ended: FLOW_END",
    ]
    assert err == ""
    assert Execution.objects.get().context["widgets"]["call_user_1"]["CallStatus"] == "in-progress"


def test_a_payment_succeeds_and_the_flow_goes_on(team):
    """Gather then Pay, as the "Studio-Payment" export of tigerfarm/work: the shell's channel
    reports the payment as taken."""
    gather = {
        "name": "gather_1",
        "type": "gather-input-on-call",
        "transitions": [
            {"next": "pay_1", "event": "keypress"},
            {"event": "speech"},
            {"event": "timeout"},
        ],
        "properties": {
            "offset": {"x": 0, "y": 200},
            "timeout": 5,
            "finish_on_key": "#",
            "stop_gather": True,
            "say": "Enter the number of dollars you want to be charged.",
            "loop": 1,
        },
    }
    pay = {
        "name": "pay_1",
        "type": "capture-payments",
        "transitions": [
            {"next": "say_play_2", "event": "success"},
            {"event": "maxFailedAttempts"},
            {"event": "providerError"},
            {"event": "payInterrupted"},
            {"event": "hangup"},
            {"event": "validationError"},
        ],
        "properties": {
            "offset": {"x": 0, "y": 410},
            "timeout": 5,
            "max_attempts": 3,
            "security_code": False,
            "postal_code": "false",
            "payment_connector": "Default",
            "payment_token_type": "one-time",
            "payment_amount": "{{widgets.gather_1.Digits}}",
            "currency": "usd",
            "valid_card_types": ["visa"],
            "language": "en-US",
        },
    }
    text = definition(gather, pay, say("say_play_2", "payment success"), incomingCall="gather_1")
    flow = services.import_flow(team, text, publish=True)

    lines, err = run_flow(flow, "--trigger", "call", "--digits", "12")

    assert lines[-6:] == [
        "gather_1 --keypress--> pay_1",
        "pay: pay_1",
        "pay_1 --success--> say_play_2",
        'say "payment success"',
        "say_play_2 --audioComplete--> Ended",
        "ended: FLOW_END",
    ]
    assert err == ""
