"""The interpreter: Studio's limits, events that do not apply, and ending.

Pure engine, no database: every port is injected (tests/engine_support.py). The Liquid
context and the steps are in tests/test_engine_context.py, subflows in
tests/test_engine_subflows.py.
"""

from __future__ import annotations

import json

import pytest

from editor.engine import runtime
from editor.engine.ports import Limits

from .engine_run_support import reply, resume
from .engine_support import (
    Clock,
    flow,
    make_ports,
    send_and_wait,
    send_message,
    set_variables,
    start,
    state,
    timeout_event,
)


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
