"""The benchmark chatbot: a 12-widget table-booking bot, its simulated traffic and HTTP stub.

Trigger → greeting (send & wait) → check_answer (split: matches_any_of / regex) → remember
(set variables: the counter idiom and the answer) → lookup (JSON POST with a Liquid body) →
check_customer (split on widgets.lookup.parsed) → ask_size (send & wait) → save_size (set
variables) → ask_time (send & wait) → check_time (split: regex) → summary (send message with
several widget references and filters) → end. `goodbye` is the "no" branch.

The trigger answers an inbound message and a REST request alike, so B1 (message-triggered)
and B1b (REST-triggered, through the service layer) run one and the same flow.
"""

from __future__ import annotations

import json
from typing import Any

from editor.engine.http import HttpRequest, HttpResponse

FLOW_ADDRESS = "+15017122661"
ACCOUNT_SID = "AC" + "0" * 32
# The three replies every execution receives, in order.
REPLIES = (" Yes ", "4", "7:30 pm")

CUSTOMER = {
    "name": "Ada",
    "tier": "gold",
    "visits": 12,
    "slots": ["6:00 pm", "7:30 pm", "9:00 pm"],
}


def state(
    name: str, type_: str, x: int, y: int, transitions: list[dict[str, Any]], **properties: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "transitions": transitions,
        "properties": {"offset": {"x": x, "y": y}, **properties},
    }


def go(event: str, nxt: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"event": event, **({"next": nxt} if nxt else {}), **extra}


def condition(kind: str, argument: str, value: str) -> dict[str, Any]:
    return {
        "friendly_name": f"If value {kind} {value}",
        "arguments": [argument],
        "type": kind,
        "value": value,
    }


def send_and_wait(name: str, y: int, nxt: str, body: str) -> dict[str, Any]:
    return state(
        name,
        "send-and-wait-for-reply",
        0,
        y,
        [go("incomingMessage", nxt), go("timeout"), go("deliveryFailure")],
        body=body,
        **{"from": "{{flow.channel.address}}"},
        timeout="3600",
        service="{{trigger.message.InstanceSid}}",
        channel="{{trigger.message.ChannelSid}}",
        message_type="custom",
    )


def send_message(name: str, x: int, y: int, body: str) -> dict[str, Any]:
    return state(
        name,
        "send-message",
        x,
        y,
        [go("sent"), go("failed")],
        body=body,
        to="{{contact.channel.address}}",
        **{"from": "{{flow.channel.address}}"},
        service="{{trigger.message.InstanceSid}}",
        channel="{{trigger.message.ChannelSid}}",
        message_type="custom",
    )


COUNTER = "{% if flow.variables.count %}{{flow.variables.count | plus: 1}}{% else %}1{% endif %}"
ANSWER = "{{widgets.greeting.inbound.Body | downcase | strip}}"
TIME = "{{widgets.ask_time.inbound.Body | strip}}"


def definition() -> dict[str, Any]:
    """The flow as Studio exports it."""
    states = [
        state(
            "Trigger",
            "trigger",
            0,
            0,
            [
                go("incomingMessage", "greeting"),
                go("incomingCall"),
                go("incomingConversationMessage"),
                go("incomingRequest", "greeting"),
                go("incomingParent"),
            ],
        ),
        send_and_wait(
            "greeting",
            200,
            "check_answer",
            "Hi {{trigger.message.From | default: contact.channel.address}}! "
            "This is {{flow.data.venue | default: 'Owl Bistro'}}. "
            "Shall we book you a table? Reply YES or NO.",
        ),
        state(
            "check_answer",
            "split-based-on",
            0,
            400,
            [
                go("noMatch", "goodbye"),
                go(
                    "match",
                    "remember",
                    conditions=[condition("matches_any_of", ANSWER, "yes,yeah,yup,sure,y")],
                ),
                go("match", "goodbye", conditions=[condition("regex", ANSWER, "no(pe)?|n")]),
            ],
            input=ANSWER,
        ),
        state(
            "remember",
            "set-variables",
            0,
            600,
            [go("next", "lookup")],
            variables=[
                {"key": "count", "value": COUNTER},
                {"key": "answer", "value": "{{widgets.greeting.inbound.Body | strip}}"},
            ],
        ),
        state(
            "lookup",
            "make-http-request",
            0,
            800,
            [go("success", "check_customer"), go("failed", "ask_size")],
            method="POST",
            content_type="application/json;charset=utf-8",
            url="https://api.example.com/v1/customers/lookup",
            body=(
                '{"phone": {{contact.channel.address | to_json}}, '
                '"answer": "{{flow.variables.answer | downcase}}", '
                '"visit": {{flow.variables.count}}, '
                '"execution": "{{flow.sid}}"}'
            ),
        ),
        state(
            "check_customer",
            "split-based-on",
            0,
            1000,
            [
                go("noMatch", "ask_size"),
                go(
                    "match",
                    "ask_size",
                    conditions=[
                        condition(
                            "equal_to",
                            "{{widgets.lookup.parsed.tier | default: 'standard'}}",
                            "gold",
                        )
                    ],
                ),
            ],
            input="{{widgets.lookup.parsed.tier | default: 'standard'}}",
        ),
        send_and_wait(
            "ask_size",
            1200,
            "save_size",
            "Great, {{widgets.lookup.parsed.name | default: 'friend'}}! "
            "How many people will there be?",
        ),
        state(
            "save_size",
            "set-variables",
            0,
            1400,
            [go("next", "ask_time")],
            variables=[
                {"key": "count", "value": COUNTER},
                {"key": "party", "value": "{{widgets.ask_size.inbound.Body | strip | plus: 0}}"},
            ],
        ),
        send_and_wait(
            "ask_time",
            1600,
            "check_time",
            "A table for {{flow.variables.party}}. Which time suits you: "
            "{{widgets.lookup.parsed.slots | join: ', '}}?",
        ),
        state(
            "check_time",
            "split-based-on",
            0,
            1800,
            [
                go("noMatch", "goodbye"),
                go(
                    "match",
                    "summary",
                    conditions=[condition("regex", TIME, r"\d{1,2}(:\d{2})?\s*(am|pm)?")],
                ),
            ],
            input=TIME,
        ),
        send_message(
            "summary",
            0,
            2000,
            "Booked, {{widgets.lookup.parsed.name | default: 'friend'}}: a table for "
            "{{flow.variables.party}} at {{widgets.ask_time.inbound.Body | strip | upcase}}. "
            "You are a {{widgets.lookup.parsed.tier | capitalize}} member and this is visit "
            "{{widgets.lookup.parsed.visits | plus: 1}}. Reply STOP to opt out.",
        ),
        send_message(
            "goodbye", 400, 1000, "No problem, {{widgets.lookup.parsed.name | default: 'friend'}}!"
        ),
    ]
    return {
        "description": "Benchmark chatbot: book a table in three replies",
        "states": states,
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def inbound(contact: str, body: str, n: int) -> dict[str, Any]:
    """Twilio's inbound message webhook parameters."""
    return {
        "ToCountry": "US",
        "ToState": "CA",
        "SmsMessageSid": f"SM{n:032x}",
        "NumMedia": "0",
        "ToCity": "SAN FRANCISCO",
        "FromZip": "94105",
        "SmsSid": f"SM{n:032x}",
        "FromState": "CA",
        "SmsStatus": "received",
        "FromCity": "SAN FRANCISCO",
        "Body": body,
        "FromCountry": "US",
        "To": FLOW_ADDRESS,
        "MessagingServiceSid": "MG" + "1" * 32,
        "ToZip": "94105",
        "NumSegments": "1",
        "MessageSid": f"SM{n:032x}",
        "AccountSid": ACCOUNT_SID,
        "From": contact,
        "ApiVersion": "2010-04-01",
    }


def contact(n: int) -> str:
    return f"+1415{n:07d}"


class FakeHttp:
    """An in-process HttpPort: the customer service answers every lookup with one customer."""

    def __init__(self) -> None:
        self.body = json.dumps(CUSTOMER)
        self.headers = {"content-type": "application/json", "content-length": str(len(self.body))}
        self.requests = 0

    def fetch(self, request: HttpRequest) -> HttpResponse:
        self.requests += 1
        return HttpResponse(200, "application/json", self.body, self.headers)
