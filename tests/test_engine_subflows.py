"""Run Subflow in the interpreter: a subflow's parameters, trigger and returned variables, a
subflow waiting for a reply (loaded again at its pinned revision), and its limits: one level
deep, the parent's step limit, ended by the API, gone while an execution waits in it.

Pure engine, no database: every port is injected (tests/engine_support.py).
"""

from __future__ import annotations

import json

from editor.engine import runtime

from .engine_run_support import reply, resume
from .engine_support import (
    FLOW_SID,
    Subflows,
    flow,
    make_ports,
    send_and_wait,
    send_message,
    set_variables,
    start,
    state,
    trigger,
)

CHILD_SID = "FW" + "d" * 32


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
