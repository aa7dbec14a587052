"""The step debugger in the engine (editor/engine/breakpoints.py): pause before a widget,
continue, step, run to a widget, conditions, edits while paused and start anywhere.

Pure engine, no database: every port is injected (tests/engine_support.py).
"""

from __future__ import annotations

import json

import pytest

from editor.engine import runtime
from editor.engine.breakpoints import DebugInputError, check_path, check_seed, check_value

from .engine_support import (
    CONTACT,
    EXECUTION_SID,
    FLOW_ADDRESS,
    FLOW_SID,
    default_payload,
    flow,
    make_ports,
    send_and_wait,
    send_message,
    set_variables,
    start,
)


def debug(breakpoints=None, **more):
    return {"tester": 1, "breakpoints": breakpoints or {}, "mode": "run", **more}


def begin(definition, dbg, kind="message", data=None):
    return runtime.start(
        definition,
        kind=kind,
        contact=CONTACT,
        flow_address=FLOW_ADDRESS,
        ports=make_ports(),
        flow_sid=FLOW_SID,
        execution_sid=EXECUTION_SID,
        revision=1,
        payload=default_payload(kind),
        data=data,
        test_user=True,
        debug=dbg,
    )


def control(definition, result, action, **more):
    event = {"type": "debug", "action": action, **more}
    return runtime.resume(definition, result.state, event, make_ports())


def path(result):
    return [step["transitioned_from"] for step in result.steps]


def chain():
    """Trigger -> one -> two -> three -> bye (all instant widgets)."""
    return flow(
        set_variables("one", "two", n="1"),
        set_variables("two", "three", n="2"),
        set_variables("three", "bye", n="3"),
        send_message("bye", "n is {{flow.variables.n}}"),
    )


def test_a_run_pauses_before_a_widget_with_a_breakpoint_and_continues():
    definition = chain()
    result = begin(definition, debug({"two": ""}))
    assert result.status == "active"
    assert path(result) == ["Trigger", "one"]
    wait = result.state["wait"]
    assert (wait["kind"], wait["widget"], wait["type"]) == ("pause", "two", "set-variables")
    assert result.state["debug"]["pause"] == {
        "reason": "breakpoint",
        "condition": "",
        "error": None,
    }
    assert result.effects[-1] == {
        "type": "debug",
        "event": "paused",
        "widget": "two",
        "reason": "breakpoint",
    }
    # The channel cannot move a paused run; the tester can.
    reply = {"type": "reply", "message": {"Body": "hi"}}
    assert not runtime.resume(definition, result.state, reply, make_ports()).handled
    done = control(definition, result, "continue")
    assert done.status == "ended"
    assert path(done) == ["two", "three", "bye"]
    assert done.effects[0]["body"] == "n is 3"


def test_step_runs_one_widget_then_pauses_before_the_next():
    definition = chain()
    result = begin(definition, debug({"one": ""}))
    assert result.state["wait"]["widget"] == "one"
    stepped = control(definition, result, "step")
    assert path(stepped) == ["one"]
    assert stepped.state["wait"]["widget"] == "two"
    assert stepped.state["debug"]["pause"]["reason"] == "step"
    stepped = control(definition, stepped, "step")
    assert path(stepped) == ["two"] and stepped.state["wait"]["widget"] == "three"
    done = control(definition, stepped, "continue")
    assert done.status == "ended" and path(done) == ["three", "bye"]


def test_step_waits_for_the_channel_then_pauses_after_it():
    definition = flow(send_and_wait("ask", "Name?", "thanks"), send_message("thanks", "Hi"))
    result = begin(definition, debug({"ask": ""}))
    stepped = control(definition, result, "step")
    assert stepped.state["wait"]["kind"] == "reply"  # the widget itself waits for the contact
    reply = {"type": "reply", "message": {"Body": "Ann", "From": CONTACT, "To": FLOW_ADDRESS}}
    answered = runtime.resume(definition, stepped.state, reply, make_ports())
    assert answered.state["wait"]["kind"] == "pause"
    assert answered.state["wait"]["widget"] == "thanks"


def test_run_to_pauses_at_the_chosen_widget_once():
    definition = chain()
    result = begin(definition, debug({"one": ""}))
    ran = control(definition, result, "run_to", widget="three")
    assert path(ran) == ["one", "two"]
    assert ran.state["wait"]["widget"] == "three"
    assert ran.state["debug"]["pause"]["reason"] == "run_to"
    assert ran.state["debug"]["run_to"] is None
    assert control(definition, ran, "continue").status == "ended"
    # A widget the flow does not have is refused, and the run stays paused.
    result = begin(definition, debug({"one": ""}))
    assert not control(definition, result, "run_to", widget="nowhere").handled
    assert result.state["wait"]["widget"] == "one"


def test_a_condition_decides_and_is_rendered_against_the_context_then():
    definition = chain()
    assert (
        begin(definition, debug({"three": "flow.variables.n == 2"})).state["wait"]["widget"]
        == "three"
    )
    result = begin(definition, debug({"three": "flow.variables.n == 9"}))
    assert result.status == "ended"


def test_a_condition_that_errors_counts_as_true_and_says_so():
    result = begin(chain(), debug({"two": "flow.variables.n == == 2"}))
    assert result.state["wait"]["widget"] == "two"
    pause = result.state["debug"]["pause"]
    assert pause["reason"] == "breakpoint"
    assert "could not be read" in pause["error"]
    assert result.effects[-1]["error"] == pause["error"]


def test_edits_while_paused_change_what_follows_and_leave_the_pause():
    definition = chain()
    result = begin(definition, debug({"bye": ""}))
    edited = control(definition, result, "edit", path="flow.variables.n", value=42)
    assert edited.handled and edited.state["wait"]["kind"] == "pause"
    edited = control(definition, edited, "edit", path="widgets.one.extra.deep", value={"a": [1]})
    assert edited.state["context"]["widgets"]["one"]["extra"] == {"deep": {"a": [1]}}
    done = control(definition, edited, "continue")
    assert done.effects[0]["body"] == "n is 42"


def test_an_edit_does_not_change_an_earlier_steps_snapshot():
    definition = chain()
    result = begin(definition, debug({"two": ""}))
    before = json.dumps(result.steps[-1]["context"], sort_keys=True)
    control(definition, result, "edit", path="widgets.one.x", value=1)
    control(definition, result, "edit", path="flow.variables.n", value="changed")
    assert json.dumps(result.steps[-1]["context"], sort_keys=True) == before


@pytest.mark.parametrize(
    ("bad_path", "message"),
    [
        ("flow.data.x", "cannot be edited"),
        ("trigger.message.Body", "cannot be edited"),
        ("flow.variables", "cannot be edited"),
        ("widgets..x", "not a context path"),
        ("widgets." + ".".join("a" * 10), "cannot be edited"),
    ],
)
def test_edit_paths_are_checked(bad_path, message):
    with pytest.raises(DebugInputError, match=message):
        check_path(bad_path)


def test_edit_values_must_be_finite_small_and_shallow():
    check_value({"a": [1, 2.5, "x", None, True]}, "v")
    with pytest.raises(DebugInputError, match="finite"):
        check_value({"a": float("inf")}, "v")
    with pytest.raises(DebugInputError, match="larger than 16 KB"):
        check_value("x" * 17_000, "v")
    deep: dict = {}
    for _ in range(20):
        deep = {"d": deep}
    with pytest.raises(DebugInputError, match="nested"):
        check_value(deep, "v")


def test_start_anywhere_seeds_the_context_and_enters_the_widget():
    definition = chain()
    seed = {
        "flow": {"data": {"order": "A1"}, "variables": {"n": "7"}},
        "widgets": {"lookup": {"parsed": {"ok": True}}},
        "trigger": {"message": {"Body": "seeded"}},
    }
    dbg = debug({}, start={"widget": "bye", "seed": check_seed(seed)})
    result = begin(definition, dbg)
    assert path(result) == ["bye"]  # no Trigger step: the run began at bye
    assert result.effects[0] == {"type": "debug", "event": "started", "widget": "bye"}
    assert result.effects[1]["body"] == "n is 7"
    context = result.state["context"]
    assert context["flow"]["data"] == {"order": "A1"}
    assert context["widgets"]["lookup"] == {"parsed": {"ok": True}}
    assert context["trigger"]["message"]["Body"] == "seeded"
    assert context["trigger"]["message"]["From"] == CONTACT  # merged, not replaced
    assert "start" not in result.state["debug"]


def test_start_anywhere_stops_at_a_breakpoint_on_its_first_widget():
    result = begin(chain(), debug({"two": ""}, start={"widget": "two", "seed": {}}))
    assert result.state["wait"]["widget"] == "two"
    assert path(result) == []


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ([1], "JSON object"),
        ({"contact": {}}, "seed.contact is not part of a seed"),
        ({"flow": {"sid": {}}}, "seed.flow.sid is not part of a seed"),
        ({"flow": {"data": 3}}, "seed.flow.data must be a JSON object"),
        ({"widgets": {"w": 3}}, "seed.widgets.w must be a JSON object"),
        ({"trigger": {"x": "y" * 70_000}}, "larger than 64 KB"),
    ],
)
def test_seeds_are_checked(seed, message):
    with pytest.raises(DebugInputError, match=message):
        check_seed(seed)


def test_a_run_without_a_debugger_never_pauses_and_has_no_debug_state():
    result = start(chain())
    assert result.status == "ended"
    assert "debug" not in result.state


def test_a_hangup_while_paused_ends_the_call():
    definition = flow(send_message("bye", "x"))
    result = begin(definition, debug({"bye": ""}), kind="call")
    hung = runtime.resume(definition, result.state, {"type": "hangup", "params": {}}, make_ports())
    assert hung.status == "ended" and hung.state["ended_reason"] == runtime.CALL_ENDED


def test_a_step_over_run_subflow_runs_the_whole_subflow_then_pauses():
    from .engine_support import Subflows
    from .test_engine_subflows import CHILD_SID, child, parent_with_subflow

    sub = child(set_variables("say", None, answer="42"), first="say")
    ports = make_ports(subflows=Subflows({CHILD_SID: (1, sub)}))
    definition = parent_with_subflow(then="say")
    # "say" names a widget of both flows: the child's never pauses.
    result = runtime.start(
        definition,
        kind="message",
        contact=CONTACT,
        flow_address=FLOW_ADDRESS,
        ports=ports,
        flow_sid=FLOW_SID,
        execution_sid=EXECUTION_SID,
        payload=default_payload("message"),
        debug=debug({"run_child": "", "say": ""}),
    )
    assert result.state["wait"]["widget"] == "run_child"
    event = {"type": "debug", "action": "step"}
    stepped = runtime.resume(definition, result.state, event, ports)
    assert [(s["transitioned_from"], s["flow_sid"]) for s in stepped.steps] == [
        ("Trigger", CHILD_SID),
        ("say", CHILD_SID),
        ("run_child", FLOW_SID),
    ]
    assert stepped.state["wait"] == {**stepped.state["wait"], "kind": "pause", "widget": "say"}
    assert stepped.state["context"]["widgets"]["run_child"] == {"answer": 42}
