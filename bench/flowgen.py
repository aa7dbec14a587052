"""Generated Studio flows with a realistic mix of widget types, for benchmarks."""

from __future__ import annotations

import json
from typing import Any

from editor.flowspec.studio_json import join_document, new_state


def chain(name: str, nxt: str | None) -> dict[str, Any]:
    return {"next": nxt} if nxt else {}


def widget(kind: int, i: int, nxt: str | None) -> dict[str, Any]:
    """One widget of the mix; `nxt` is the widget it leads to."""
    name = f"w{i}"
    offset = {"x": (i % 10) * 320, "y": (i // 10) * 220}
    maker = MIX[kind % len(MIX)]
    state = maker(name, nxt)
    state["properties"] = {"offset": offset, **state["properties"]}
    return state


def send_and_wait(name: str, nxt: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "type": "send-and-wait-for-reply",
        "transitions": [
            {"event": "incomingMessage", **chain(name, nxt)},
            {"event": "timeout"},
            {"event": "deliveryFailure"},
        ],
        "properties": {
            "from": "{{flow.channel.address}}",
            "body": "Hi {{trigger.message.From}}, reply YES or NO ({{flow.variables.step}})",
            "timeout": "3600",
            "service": "{{trigger.message.InstanceSid}}",
            "channel": "{{trigger.message.ChannelSid}}",
        },
    }


def split(name: str, nxt: str | None) -> dict[str, Any]:
    subject = "{{widgets.w0.inbound.Body | downcase | strip}}"
    return {
        "name": name,
        "type": "split-based-on",
        "transitions": [
            {"event": "noMatch", **chain(name, nxt)},
            {
                "event": "match",
                **chain(name, nxt),
                "conditions": [
                    {
                        "friendly_name": "If value matches_any_of yes",
                        "arguments": [subject],
                        "type": "matches_any_of",
                        "value": "yes,yeah,yup",
                    }
                ],
            },
            {
                "event": "match",
                "conditions": [
                    {
                        "friendly_name": "If value equal_to no",
                        "arguments": [subject],
                        "type": "equal_to",
                        "value": "no",
                    }
                ],
            },
        ],
        "properties": {"input": subject},
    }


def set_variables(name: str, nxt: str | None) -> dict[str, Any]:
    value = "{% if flow.variables.count %}{{flow.variables.count | plus: 1}}{% else %}1{% endif %}"
    return {
        "name": name,
        "type": "set-variables",
        "transitions": [{"event": "next", **chain(name, nxt)}],
        "properties": {
            "variables": [
                {"key": "count", "value": value},
                {"key": "answer", "value": "{{widgets.w0.inbound.Body}}"},
            ]
        },
    }


def http(name: str, nxt: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "type": "make-http-request",
        "transitions": [{"event": "success", **chain(name, nxt)}, {"event": "failed"}],
        "properties": {
            "method": "POST",
            "content_type": "application/json;charset=utf-8",
            "url": "https://api.example.com/contacts/{{contact.channel.address}}",
            "body": '{"answer": "{{flow.variables.answer}}", "n": {{flow.variables.count}}}',
        },
    }


def send_message(name: str, nxt: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "type": "send-message",
        "transitions": [{"event": "sent", **chain(name, nxt)}, {"event": "failed"}],
        "properties": {
            "from": "{{flow.channel.address}}",
            "to": "{{contact.channel.address}}",
            "body": "Thanks {{widgets.w2.parsed.name | default: 'friend'}}!",
            "service": "{{trigger.message.InstanceSid}}",
            "channel": "{{trigger.message.ChannelSid}}",
        },
    }


def function(name: str, nxt: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "type": "run-function",
        "transitions": [{"event": "success", **chain(name, nxt)}, {"event": "fail"}],
        "properties": {
            "service_sid": "ZS" + "0" * 32,
            "environment_sid": "ZE" + "0" * 32,
            "function_sid": "ZH" + "0" * 32,
            "url": "https://example-1234.twil.io/lookup",
            "parameters": [{"key": "from", "value": "{{contact.channel.address}}"}],
        },
    }


def gather(name: str, nxt: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "type": "gather-input-on-call",
        "transitions": [
            {"event": "keypress", **chain(name, nxt)},
            {"event": "speech"},
            {"event": "timeout"},
        ],
        "properties": {
            "say": "Press 1 for sales or 2 for support, {{flow.variables.answer}}.",
            "voice": "Polly.Joanna",
            "language": "en-US",
            "loop": 1,
            "timeout": 5,
            "finish_on_key": "#",
            "stop_gather": True,
            "speech_timeout": "auto",
            "profanity_filter": "true",
            "gather_language": "en-US",
        },
    }


MIX = (send_and_wait, split, set_variables, http, send_message, function, gather)


def generate(widgets: int) -> dict[str, Any]:
    """A flow of `widgets` states (the trigger included), each leading to the next."""
    trigger = new_state("trigger", "Trigger")
    trigger.transitions[0]["next"] = "w0"
    head = {
        "description": f"Generated flow with {widgets} widgets",
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }
    document = join_document(head, [trigger])
    count = widgets - 1
    document["states"] += [
        widget(i, i, f"w{i + 1}" if i + 1 < count else None) for i in range(count)
    ]
    return document


def generate_text(widgets: int) -> str:
    return json.dumps(generate(widgets))
