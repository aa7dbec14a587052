"""The interpreter: Studio's limits, the Liquid context, events, ending and subflows.

Pure engine, no database: every port is injected (tests/engine_support.py).
"""

from __future__ import annotations

import json

import pytest

from editor.engine import runtime
from editor.engine.context import TRIGGER_EVENTS
from editor.engine.ports import Limits

from .engine_support import (
    CONTACT,
    EXECUTION_SID,
    FLOW_ADDRESS,
    FLOW_SID,
    Clock,
    Subflows,
    flow,
    make_ports,
    send_and_wait,
    send_message,
    set_variables,
    start,
    state,
    timeout_event,
    trigger,
)

CHILD_SID = "FW" + "d" * 32


def resume(definition, result, event, ports):
    return runtime.resume(definition, result.state, event, ports)


def reply(body: str) -> dict:
    return {"type": "reply", "message": {"Body": body, "From": CONTACT, "To": FLOW_ADDRESS}}


def gather(name: str, **events) -> dict:
    return state(name, "gather-input-on-call", {"say": "Press a key"}, **events)


# Studio's limits ---------------------------------------------------------------------------


def test_a_loop_of_two_widgets_ends_at_1000_steps():
    definition = flow(set_variables("ping", "pong"), set_variables("pong", "ping"))
    result = start(definition)
    assert result.status == "ended"
    assert result.state["ended_reason"] == runtime.STEP_LIMIT
    assert len(result.steps) == 1000
    assert "1000 steps" in result.state["ended_detail"]
    assert result.effects[-1] == {
        "type": "ended",
        "reason": "STEP_LIMIT",
        "detail": result.state["ended_detail"],
    }


def test_the_step_limit_counts_steps_across_resumes():
    definition = flow(
        send_and_wait("ask", "Again?", "count"),
        set_variables("count", "ask", n="{{flow.variables.n | plus: 1}}"),
    )
    ports = make_ports(limits=Limits(max_steps=7))
    result = start(definition, ports=ports)
    steps = list(result.steps)
    while result.status == "active":
        result = resume(definition, result, reply("yes"), ports)
        steps += result.steps
    assert result.state["ended_reason"] == runtime.STEP_LIMIT
    assert len(steps) == 7


def test_a_widget_looping_to_itself_ends_after_ten_runs_in_a_row():
    definition = flow(set_variables("again", "again", n="{{flow.variables.n | plus: 1}}"))
    result = start(definition)
    assert result.state["ended_reason"] == runtime.LOOP_LIMIT
    assert "again" in result.state["ended_detail"]
    assert [s["transitioned_from"] for s in result.steps].count("again") == 10
    assert result.state["context"]["flow"]["variables"]["n"] == 10


def test_a_widget_may_run_more_than_ten_times_when_others_run_between():
    definition = flow(
        set_variables("a", "b", n="{{flow.variables.n | plus: 1}}"),
        state(
            "b",
            "split-based-on",
            {"input": "{{flow.variables.n}}"},
            noMatch="a",
        ),
    )
    definition["states"][2]["transitions"].append(
        {
            "event": "match",
            "conditions": [
                {"friendly_name": "n", "arguments": [], "type": "equal_to", "value": "15"}
            ],
        }
    )
    result = start(definition)
    assert result.state["ended_reason"] == runtime.FLOW_END
    assert result.state["context"]["flow"]["variables"]["n"] == 15


def test_a_resume_after_thirty_days_ends_the_execution_for_its_lifetime():
    clock = Clock()
    ports = make_ports(clock=clock)
    definition = flow(gather("menu", keypress=None, speech=None, timeout=None))
    result = start(definition, "call", ports=ports)
    clock.advance(days=29, hours=23)
    assert resume(definition, result, {"type": "timeout", "wait_id": 99}, ports).handled is False
    clock.advance(hours=1)
    result = resume(definition, result, {"type": "callback", "params": {"Digits": "1"}}, ports)
    assert result.status == "ended"
    assert result.state["ended_reason"] == runtime.LIFETIME
    assert result.steps == []


def test_no_timer_outlives_the_execution():
    clock = Clock()
    ports = make_ports(clock=clock)
    ask = send_and_wait("ask", "Still there?")
    ask["properties"]["timeout"] = str(60 * 86400)
    definition = flow(ask)
    result = start(definition, ports=ports)
    assert result.wait["timeout_at"] == "2026-02-14T17:00:00+00:00"
    clock.advance(days=30)
    result = resume(definition, result, timeout_event(result), ports)
    assert result.state["ended_reason"] == runtime.LIFETIME


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


# Events that do not apply, and ending --------------------------------------------------------


def test_a_stale_timer_is_ignored():
    definition = flow(send_and_wait("ask", "Hi", timeout="ask"))
    ports = make_ports()
    result = start(definition, ports=ports)
    first_wait = result.wait["id"]
    result = resume(definition, result, timeout_event(result), ports)
    assert result.wait["id"] != first_wait
    stale = resume(definition, result, {"type": "timeout", "wait_id": first_wait}, ports)
    assert stale.handled is False
    assert stale.steps == [] and stale.effects == []
    assert stale.wait["id"] == result.wait["id"]


def test_a_reply_when_nothing_waits_for_one_is_ignored():
    definition = flow(gather("menu", keypress=None, speech=None, timeout=None))
    ports = make_ports()
    result = start(definition, "call", ports=ports)
    before = json.dumps(result.state, sort_keys=True)
    ignored = resume(definition, result, reply("hello"), ports)
    assert ignored.handled is False
    assert json.dumps(ignored.state, sort_keys=True) == before


def test_an_unknown_event_is_ignored():
    definition = flow(send_and_wait("ask", "Hi"))
    ports = make_ports()
    result = start(definition, ports=ports)
    assert resume(definition, result, {"type": "smoke-signal"}, ports).handled is False


def test_a_hangup_where_the_widget_has_no_hangup_event_ends_the_call():
    definition = flow(gather("menu", keypress=None, speech=None, timeout=None))
    ports = make_ports()
    result = start(definition, "call", ports=ports)
    result = resume(definition, result, {"type": "hangup"}, ports)
    assert result.handled is True
    assert result.status == "ended"
    assert result.state["ended_reason"] == runtime.CALL_ENDED
    assert result.wait is None


def test_a_hangup_where_the_widget_has_one_takes_it():
    dial = state(
        "dial", "connect-call-to", {"noun": "number", "to": "+15550001111"}, callCompleted=None
    )
    dial["transitions"].append({"event": "hangup", "next": "bye"})
    definition = flow(dial, set_variables("bye", None, left="yes"))
    ports = make_ports()
    result = start(definition, "call", ports=ports)
    result = resume(definition, result, {"type": "hangup"}, ports)
    assert [s["name"] for s in result.steps] == ["hangup", "next"]
    assert result.state["ended_reason"] == runtime.FLOW_END


def test_the_end_event_ends_the_execution_through_the_api():
    definition = flow(send_and_wait("ask", "Hi"))
    ports = make_ports()
    result = start(definition, ports=ports)
    result = resume(definition, result, {"type": "end"}, ports)
    assert result.status == "ended"
    assert result.state["ended_reason"] == runtime.API_ENDED
    assert result.wait is None
    assert result.effects == [{"type": "ended", "reason": "API_ENDED", "detail": None}]


def test_resuming_an_ended_execution_is_an_error():
    result = start(flow(send_message("hi", "Hi")))
    assert result.status == "ended"
    with pytest.raises(runtime.EngineError):
        runtime.resume(flow(), result.state, reply("again"), make_ports())


def test_an_unknown_trigger_kind_is_an_error():
    with pytest.raises(runtime.EngineError):
        start(flow(), "pigeon")


def test_a_transition_to_a_missing_widget_ends_with_an_error_that_names_it():
    result = start(flow(send_message("hi", "Hi", "nowhere")))
    assert result.state["ended_reason"] == runtime.ERROR
    assert "nowhere" in result.state["ended_detail"]


def test_a_flow_without_its_initial_state_ends_with_an_error():
    definition = {**flow(send_message("hi", "Hi")), "initial_state": "Start"}
    result = start(definition)
    assert result.state["ended_reason"] == runtime.ERROR
    assert result.steps == []


def test_the_state_survives_a_json_round_trip_between_events():
    definition = flow(
        send_and_wait("ask", "Name?", "count"),
        set_variables("count", "greet", name="{{widgets.ask.inbound.Body}}"),
        send_message("greet", "Hi {{flow.variables.name}}"),
    )
    ports = make_ports()
    result = start(definition, ports=ports)
    stored = json.loads(json.dumps(result.state))
    result = runtime.resume(definition, stored, reply("Ann"), ports)
    assert result.effects[0]["body"] == "Hi Ann"
    assert result.state["ended_reason"] == runtime.FLOW_END


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


# Subflows ----------------------------------------------------------------------------------


def child(*states, first: str) -> dict:
    definition = flow(*states)
    definition["states"][0] = trigger(None, incomingParent=first)
    return definition


def parent_with_subflow(parameters=None, revision="LatestPublished", then=None) -> dict:
    run = state(
        "run_child",
        "run-subflow",
        {"flow_sid": CHILD_SID, "flow_revision": revision, "parameters": parameters or []},
        completed=then,
        failed=None,
    )
    states = [run]
    if then:
        states.append(send_message(then, "Child said {{widgets.run_child.answer}}"))
    return flow(*states)


def test_a_subflow_gets_parameters_and_the_parents_trigger_and_returns_its_variables():
    sub = child(
        set_variables(
            "child_vars",
            None,
            answer="{{trigger.parent.parameters.question}}!",
            body="{{trigger.message.Body}}",
        ),
        first="child_vars",
    )
    subflows = Subflows({CHILD_SID: (4, sub)})
    definition = parent_with_subflow(
        [{"key": "question", "value": "{{trigger.message.Body | upcase}}"}], then="say"
    )
    result = start(definition, payload={"Body": "why"}, ports=make_ports(subflows=subflows))
    context = result.state["context"]
    assert context["widgets"]["run_child"] == {"answer": "WHY!", "body": "why"}
    assert context["flow"]["variables"] == {}
    assert context["flow"]["flow_sid"] == FLOW_SID
    assert result.effects[0]["body"] == "Child said WHY!"
    assert [(s["name"], s["flow_sid"]) for s in result.steps] == [
        ("incomingMessage", FLOW_SID),
        ("incomingParent", CHILD_SID),
        ("next", CHILD_SID),
        ("completed", FLOW_SID),
        ("sent", FLOW_SID),
    ]
    assert subflows.calls == [(CHILD_SID, "LatestPublished", False)]
    assert result.state["frames"] == []
    # Steps inside the subflow name (by position) the parent's step into Run Subflow.
    assert [s["parent_step"] for s in result.steps] == [None, 0, 0, None, None]


def test_a_subflow_waiting_for_a_reply_is_loaded_again_at_its_pinned_revision():
    sub = child(
        send_and_wait("ask", "Colour?", "keep"),
        set_variables("keep", None, answer="{{widgets.ask.inbound.Body}}"),
        first="ask",
    )
    subflows = Subflows({CHILD_SID: (4, sub)})
    ports = make_ports(subflows=subflows)
    definition = parent_with_subflow(then="say")
    result = start(definition, ports=ports)
    assert result.wait["widget"] == "ask"
    assert result.state["flow"] == {"sid": CHILD_SID, "revision": 4}
    stored = json.loads(json.dumps(result.state))
    into_subflow = stored["frames"][0]["parent_step"]
    result = runtime.resume(definition, stored, reply("blue"), ports)
    assert subflows.calls == [(CHILD_SID, "LatestPublished", False), (CHILD_SID, "4", False)]
    assert result.effects[0]["body"] == "Child said blue"
    assert result.state["ended_reason"] == runtime.FLOW_END
    assert [s["flow_sid"] for s in result.steps] == [CHILD_SID, CHILD_SID, FLOW_SID, FLOW_SID]
    assert [s["parent_step"] for s in result.steps] == [0, 0, None, None]
    assert into_subflow == 0


def test_a_subflow_that_cannot_be_found_takes_failed():
    result = start(parent_with_subflow(), ports=make_ports())
    assert [(s["name"], s["transitioned_from"]) for s in result.steps][-1] == (
        "failed",
        "run_child",
    )
    assert result.state["context"]["widgets"]["run_child"] == {}


def test_a_subflow_cannot_run_a_subflow():
    inner = state(
        "inner",
        "run-subflow",
        {"flow_sid": CHILD_SID, "flow_revision": "LatestPublished"},
        completed=None,
        failed="note",
    )
    sub = child(inner, set_variables("note", None, inner="failed"), first="inner")
    subflows = Subflows({CHILD_SID: (1, sub)})
    result = start(parent_with_subflow(), ports=make_ports(subflows=subflows))
    assert result.state["context"]["widgets"]["run_child"] == {"inner": "failed"}
    assert len(subflows.calls) == 1


def test_steps_inside_a_subflow_count_toward_the_step_limit():
    sub = child(set_variables("a", "b"), set_variables("b", "a"), first="a")
    subflows = Subflows({CHILD_SID: (1, sub)})
    result = start(parent_with_subflow(), ports=make_ports(subflows=subflows))
    assert result.state["ended_reason"] == runtime.STEP_LIMIT
    assert len(result.steps) == 1000
    assert result.steps[-1]["flow_sid"] == CHILD_SID


def test_the_api_can_end_an_execution_waiting_inside_a_subflow():
    sub = child(send_and_wait("ask", "Colour?"), first="ask")
    ports = make_ports(subflows=Subflows({CHILD_SID: (1, sub)}))
    definition = parent_with_subflow()
    result = start(definition, ports=ports)
    result = resume(definition, result, {"type": "end"}, ports)
    assert result.state["ended_reason"] == runtime.API_ENDED


def test_a_subflow_does_not_change_what_the_parent_sees():
    sub = child(set_variables("noop", None, x="1"), first="noop")
    definition = parent_with_subflow()
    result = start(
        definition,
        payload={"ChannelAttributes": '{"from": "Ann"}'},
        ports=make_ports(subflows=Subflows({CHILD_SID: (1, sub)})),
    )
    context = result.state["context"]
    assert "parent" not in context["trigger"]
    assert context["trigger"]["message"]["ChannelAttributes"] == {"from": "Ann"}
    assert context["flow"]["flow_sid"] == FLOW_SID


def test_a_subflow_that_loops_back_to_its_trigger_enters_it_as_a_subflow_again():
    count = set_variables("count", "check", n="{{flow.variables.n | plus: 1}}")
    check = state("check", "split-based-on", {"input": "{{flow.variables.n}}"}, noMatch=None)
    check["transitions"].append(
        {
            "event": "match",
            "next": "Trigger",
            "conditions": [
                {"friendly_name": "n < 3", "arguments": [], "type": "less_than", "value": "3"}
            ],
        }
    )
    sub = child(count, check, first="count")
    result = start(
        parent_with_subflow(), ports=make_ports(subflows=Subflows({CHILD_SID: (1, sub)}))
    )
    assert result.state["context"]["widgets"]["run_child"] == {"n": 3}
    names = [s["name"] for s in result.steps if s["transitioned_from"] == "Trigger"]
    assert names == ["incomingMessage", "incomingParent", "incomingParent", "incomingParent"]


def test_an_execution_waiting_in_a_subflow_that_is_gone_ends_with_an_error():
    sub = child(send_and_wait("ask", "Colour?"), first="ask")
    subflows = Subflows({CHILD_SID: (1, sub)})
    ports = make_ports(subflows=subflows)
    definition = parent_with_subflow()
    result = start(definition, ports=ports)
    subflows.flows.clear()
    result = resume(definition, result, reply("blue"), ports)
    assert result.handled is True
    assert result.state["ended_reason"] == runtime.ERROR
    assert result.state["ended_detail"] == f"subflow {CHILD_SID} revision 1 is gone"
