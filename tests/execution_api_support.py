"""What the tests of Executions through the Studio REST API v2 share: a survey flow started by
REST (Trigger -> ask and wait -> split on yes -> answer), published as the `flow` fixture, an
execution started with the SDK, and a contact's reply as the messaging webhook delivers it."""

from __future__ import annotations

import pytest

from editor import services
from editor.models import Status
from editor.sids import new_sid

CONTACT = "+15551230001"
FLOW_ADDRESS = "+15550000000"
FORM = "application/x-www-form-urlencoded"


def survey_definition(*, request_next: str | None = "ask") -> dict:
    """Trigger (REST) -> ask by name and wait -> split on yes -> answer."""

    def send(name: str, body: str) -> dict:
        return {
            "name": name,
            "type": "send-message",
            "transitions": [{"event": "sent"}, {"event": "failed"}],
            "properties": {
                "offset": {"x": 0, "y": 600},
                "from": "{{flow.channel.address}}",
                "to": "{{contact.channel.address}}",
                "body": body,
            },
        }

    yes = {
        "friendly_name": "If value equal_to yes",
        "arguments": ["{{widgets.ask.inbound.Body}}"],
        "type": "equal_to",
        "value": "yes",
    }
    return {
        "description": "Survey",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [
                    {"event": "incomingMessage"},
                    {"event": "incomingCall"},
                    {"event": "incomingConversationMessage"},
                    {"event": "incomingRequest", "next": request_next},
                    {"event": "incomingParent"},
                ],
                "properties": {"offset": {"x": 0, "y": 0}},
            },
            {
                "name": "ask",
                "type": "send-and-wait-for-reply",
                "transitions": [
                    {"event": "incomingMessage", "next": "split"},
                    {"event": "timeout"},
                    {"event": "deliveryFailure"},
                ],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "from": "{{flow.channel.address}}",
                    "body": "Hi {{flow.data.name}}, do you like bots?",
                    "timeout": "3600",
                },
            },
            {
                "name": "split",
                "type": "split-based-on",
                "transitions": [
                    {"event": "noMatch", "next": "sorry"},
                    {"event": "match", "next": "great", "conditions": [yes]},
                ],
                "properties": {
                    "offset": {"x": 0, "y": 400},
                    "input": "{{widgets.ask.inbound.Body}}",
                },
            },
            send("great", "Great, {{flow.data.name}}!"),
            send("sorry", "Sorry to hear that."),
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


@pytest.fixture(name="flow")
def flow_fixture(team, alice):
    return services.create_flow(
        team,
        friendly_name="Survey",
        definition=survey_definition(),
        status=Status.PUBLISHED,
        author=alice,
    )


def start(sdk, flow, to: str = CONTACT, **parameters):
    return sdk.studio.v2.flows(flow.sid).executions.create(
        to=to, from_=FLOW_ADDRESS, parameters=parameters or {"name": "Ann"}
    )


def reply(flow, body: str, contact: str = CONTACT) -> services.Outcome:
    """An inbound SMS from the contact, as the messaging webhook would deliver it."""
    payload = {"Body": body, "From": contact, "To": FLOW_ADDRESS, "MessageSid": new_sid("SM")}
    return services.receive_message(
        flow, contact=contact, flow_address=FLOW_ADDRESS, payload=payload
    )
