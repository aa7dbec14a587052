"""The interpreter's Liquid context: what a template reads of the trigger, the flow, the
contact and the widgets, Liquid's limits ending the execution at the widget, and data from
outside never rendered as a template. Then the steps, each with a snapshot of that context.

Pure engine, no database: every port is injected (tests/engine_support.py).
"""

from __future__ import annotations

import pytest

from editor.engine import runtime
from editor.engine.context import TRIGGER_EVENTS

from .engine_run_support import reply, resume
from .engine_support import (
    CONTACT,
    EXECUTION_SID,
    FLOW_ADDRESS,
    FLOW_SID,
    flow,
    make_ports,
    send_and_wait,
    send_message,
    set_variables,
    start,
)

# The Liquid context ------------------------------------------------------------------------

MESSAGE = {"Body": "Hello", "MessageSid": "SM" + "4" * 32, "ChannelAttributes": '{"from": "Ann"}'}


@pytest.mark.parametrize(
    ("kind", "payload", "data", "template", "expected"),
    [
        ("message", MESSAGE, None, "{{trigger.message.Body}}", "Hello"),
        ("message", MESSAGE, None, "{{trigger.message.From}}", CONTACT),
        ("message", MESSAGE, None, "{{trigger.message.ChannelAttributes.from}}", "Ann"),
        (
            "call",
            {"CallSid": "CA1"},
            None,
            "{{trigger.call.CallSid}}/{{trigger.call.To}}",
            "CA1/+15559870002",
        ),
        (
            "request",
            None,
            {"name": "Ann"},
            "{{flow.data.name}}={{trigger.request.parameters.name}}",
            "Ann=Ann",
        ),
        ("request", None, {"n": 2}, "{{flow.data.n | plus: 1}}", "3"),
        (
            "request",
            None,
            None,
            "{{trigger.request.from}}>{{trigger.request.to}}",
            FLOW_ADDRESS + ">" + CONTACT,
        ),
        ("conversation", {"Body": "hey"}, None, "{{trigger.conversation.Body}}", "hey"),
        ("message", MESSAGE, None, "{{flow.channel.address}}", FLOW_ADDRESS),
        ("message", MESSAGE, None, "{{contact.channel.address}}", CONTACT),
        ("message", MESSAGE, None, "{{flow.flow_sid}}", FLOW_SID),
        ("message", MESSAGE, None, "{{flow.sid}}", EXECUTION_SID),
        ("message", MESSAGE, None, "{{widgets.first-step.word}}", "owl"),
        ("message", MESSAGE, None, "{{widgets.first-step | to_json}}", '{"word":"owl"}'),
        (
            "message",
            MESSAGE,
            None,
            "{{trigger.message.ChannelAttributes | to_json}}",
            '{"from":"Ann"}',
        ),
        ("message", MESSAGE, None, "[{{flow.variables.nothing}}{{widgets.nobody.x.y}}]", "[]"),
        (
            "message",
            MESSAGE,
            None,
            "{{ 'now' | date: '%Y-%m-%d %H:%M %Z' }}",
            "2026-01-15 09:00 PST",
        ),
    ],
)
def test_the_liquid_context(kind, payload, data, template, expected):
    definition = flow(
        set_variables("first-step", "probe", word="owl"),
        set_variables("probe", None, out=template),
    )
    result = start(definition, kind, payload=payload, data=data)
    assert result.state["ended_reason"] == runtime.FLOW_END, result.state["ended_detail"]
    assert str(result.state["context"]["widgets"]["probe"]["out"]) == expected


def test_a_json_key_named_like_a_liquid_keyword_is_readable():
    definition = flow(set_variables("probe", None, out="{{flow.data.limit}}"))
    result = start(definition, "request", data={"limit": "5"})
    assert result.state["context"]["flow"]["variables"]["out"] == 5


def test_now_as_epoch_seconds_does_not_depend_on_the_timezone():
    definition = flow(set_variables("probe", None, out="{{ 'now' | date: '%s' }}"))
    result = start(definition)
    assert result.state["context"]["flow"]["variables"]["out"] == 1768496400


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{% for i in (1..16) %}{{i}}{% endfor %}", "after 15 iterations"),
        ("{% for i in (1..10) %}" + "x" * 2000 + "{% endfor %}", "longer than 16,384 bytes"),
        ("{{ 'x' | append: 'y' | nonsense_filter }", "expected '}}'"),
        ("{{ (1..100000000) | sort }}", "range (1..100000000) has 100,000,000 items"),
        (
            "{% assign s = 'x' | append: '0123456789' | remove: 'x' %}"
            "{% for i in (1..5) %}{% assign s = s | replace: '', s %}{% endfor %}",
            "replace would make a text of",
        ),
    ],
    ids=[
        "a loop over 16 items",
        "an output over 16 KB",
        "a template that does not parse",
        "a huge range",
        "a text that would explode",
    ],
)
def test_a_liquid_limit_ends_the_execution_with_an_error_naming_the_widget(template, reason):
    definition = flow(set_variables("greet", "after", x="1"), send_message("after", template))
    result = start(definition)
    assert result.status == "ended"
    assert result.state["ended_reason"] == runtime.ERROR
    detail = result.state["ended_detail"]
    assert detail.startswith("after: ") and reason in detail
    assert result.effects[-1] == {"type": "ended", "reason": runtime.ERROR, "detail": detail}
    # The failing widget's Step says why: event `error`, the reason in its outputs.
    assert [(s["transitioned_from"], s["name"]) for s in result.steps] == [
        ("Trigger", "incomingMessage"),
        ("greet", "next"),
        ("after", "error"),
    ]
    failed = result.steps[-1]["context"]["widgets"]["after"]["error"]
    assert failed["reason"] == "liquid" and reason in failed["message"]
    assert not [e for e in result.effects if e["type"] == "message"]


def test_data_from_outside_is_never_rendered_as_a_template():
    definition = flow(
        send_and_wait("ask", "Say something", "echo"),
        send_message("echo", "You said {{widgets.ask.inbound.Body}}"),
    )
    ports = make_ports()
    result = start(definition, payload={"Body": "{{flow.sid}}"}, ports=ports)
    result = resume(definition, result, reply("{{flow.sid}} {% raw %}"), ports)
    widgets = result.state["context"]["widgets"]
    assert widgets["ask"]["inbound"]["Body"] == "{{flow.sid}} {% raw %}"
    assert result.effects[0]["body"] == "You said {{flow.sid}} {% raw %}"
    assert result.state["context"]["trigger"]["message"]["Body"] == "{{flow.sid}}"


# Steps -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(TRIGGER_EVENTS))
def test_an_unwired_trigger_ends_at_once_with_one_step(kind):
    result = start(flow(send_message("hi", "Hi"), first=""), kind)
    assert result.state["ended_reason"] == runtime.FLOW_END
    assert len(result.steps) == 1
    step = result.steps[0]
    assert {k: step[k] for k in ("name", "transitioned_from", "transitioned_to", "type")} == {
        "name": TRIGGER_EVENTS[kind],
        "transitioned_from": "Trigger",
        "transitioned_to": "Ended",
        "type": "trigger",
    }


def test_every_step_records_the_transition_and_a_context_snapshot():
    definition = flow(
        set_variables("first", "greet", who="{{trigger.message.Body}}"),
        send_message("greet", "Hi {{flow.variables.who}}"),
    )
    result = start(definition, payload={"Body": "Ann"})
    assert [(s["name"], s["transitioned_from"], s["transitioned_to"]) for s in result.steps] == [
        ("incomingMessage", "Trigger", "first"),
        ("next", "first", "greet"),
        ("sent", "greet", "Ended"),
    ]
    assert [s["type"] for s in result.steps] == ["trigger", "set-variables", "send-message"]
    snapshots = [s["context"] for s in result.steps]
    assert "first" not in snapshots[0]["widgets"]
    assert snapshots[1]["flow"]["variables"] == {"who": "Ann"}
    assert snapshots[2]["widgets"]["greet"]["outbound"]["Body"] == "Hi Ann"
    assert all(s["flow_sid"] == FLOW_SID for s in result.steps)


def test_a_snapshot_keeps_the_values_of_its_moment():
    """Snapshots share unchanged values; later writes must not reach into earlier ones."""
    definition = flow(
        set_variables("one", "two", n="1", who="{{trigger.message.Body}}"),
        set_variables("two", "three", n="{{flow.variables.n | plus: 1}}"),
        set_variables("three", None, n="{{flow.variables.n | plus: 1}}", who="Bo"),
    )
    result = start(definition, payload={"Body": "Ann"})
    variables = [s["context"]["flow"]["variables"] for s in result.steps]
    assert variables == [{}, {"n": 1, "who": "Ann"}, {"n": 2, "who": "Ann"}, {"n": 3, "who": "Bo"}]
    widgets = [sorted(s["context"]["widgets"]) for s in result.steps]
    assert widgets == [[], ["one"], ["one", "two"], ["one", "three", "two"]]
    assert result.steps[1]["context"]["widgets"]["one"] == {"n": 1, "who": "Ann"}
