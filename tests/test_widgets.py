"""Every widget type, driven by the JSON cases in tests/data/widgets (format: README.md there).

Each case builds a flow around one widget: a Trigger whose every event leads to the widget
(through a `preset` hold when the case presets variables or widget outputs), and every one of
the widget's transitions wired to its own `sink_<index>`, a Set Variables widget that ends the
flow. The case starts the flow, delivers its events with resume(), and checks what it expects.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from editor.engine import runtime
from editor.engine.widgets import WIDGETS, widget_for
from editor.engine.widgets.external import External
from editor.flowspec.catalogue import BY_TYPE

from .engine_support import PRESET, FakeHttp, Subflows, make_ports, start, widget_flow

CASES = Path(__file__).resolve().parent / "data" / "widgets"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def case_params() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.json")):
        document = load(path)
        for case in document["cases"]:
            params.append(
                pytest.param(document["widget"], case, id=f"{path.stem}: {case['description']}")
            )
    return params


def matches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where `actual` differs from `expected`: dicts match a subset of keys, lists match item
    by item, a string "re:…" is a regular expression, and strings never equal numbers."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{path}.{key}: missing (have {sorted(actual)})")
            else:
                problems.extend(matches(value, actual[key], f"{path}.{key}"))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path or '.'}: expected {len(expected)} items, got {actual!r}"]
        return [p for i, e in enumerate(expected) for p in matches(e, actual[i], f"{path}[{i}]")]
    if isinstance(expected, str) and expected.startswith("re:"):
        if isinstance(actual, str) and re.fullmatch(expected[3:], actual):
            return []
        return [f"{path}: {actual!r} does not match {expected[3:]!r}"]
    same_kind = isinstance(expected, str) == isinstance(actual, str)
    same_kind = same_kind and isinstance(expected, bool) == isinstance(actual, bool)
    if same_kind and expected == actual:
        return []
    return [f"{path}: expected {expected!r}, got {actual!r}"]


def assert_matches(expected: Any, actual: Any, what: str) -> None:
    problems = matches(expected, actual)
    assert not problems, f"{what}:\n  " + "\n  ".join(problems)


def run_case(widget: dict[str, Any], case: dict[str, Any]) -> None:
    widget = copy.deepcopy(widget)
    if "properties" in case:
        widget["properties"] = {**widget.get("properties", {}), **case["properties"]}
    if "transitions" in case:
        widget["transitions"] = case["transitions"]
    name = widget["name"]
    preset = bool(case.get("variables") or case.get("widgets"))
    definition = widget_flow(widget, preset=preset)
    http = FakeHttp(case.get("http", []))
    subflows = Subflows(
        {sid: (sub["revision"], sub["definition"]) for sid, sub in case.get("subflows", {}).items()}
    )
    ports = make_ports(http=http, subflows=subflows)
    given = case.get("trigger", {})
    result = start(
        definition,
        given.get("kind", "message"),
        payload=given.get("payload"),
        data=given.get("data"),
        ports=ports,
        **{k: given[k] for k in ("contact", "flow_address") if k in given},
    )
    steps, effects = list(result.steps), list(result.effects)
    if preset:
        assert result.wait and result.wait["widget"] == PRESET, result.state
        context = result.state["context"]
        context["flow"]["variables"].update(copy.deepcopy(case.get("variables", {})))
        context["widgets"].update(copy.deepcopy(case.get("widgets", {})))
        result = runtime.resume(
            definition, result.state, {"type": "callback", "params": {"event": "go"}}, ports
        )
        steps += result.steps
        effects += result.effects
    handled = []
    for event in case.get("events", []):
        event = copy.deepcopy(event)
        if event.get("type") == "timeout" and "wait_id" not in event:
            event["wait_id"] = (result.state.get("wait") or {}).get("id", 0)
        result = runtime.resume(definition, result.state, event, ports)
        handled.append(result.handled)
        steps += result.steps
        effects += result.effects
    check(case["expect"], name, result, steps, effects, http, handled)


def check(
    expect: dict[str, Any],
    name: str,
    result: runtime.Result,
    steps: list[dict[str, Any]],
    effects: list[dict[str, Any]],
    http: FakeHttp,
    handled: list[bool],
) -> None:
    state = result.state
    context = state["context"]
    taken = [step for step in steps if step["transitioned_from"] == name]
    if "event" in expect:
        assert taken, f"{name} never left; waiting on {state['wait']}, status {state['status']}"
        assert taken[-1]["name"] == expect["event"], taken[-1]
    if "transition" in expect:
        assert taken[-1]["transitioned_to"] == f"sink_{expect['transition']}", taken[-1]
    if "outputs" in expect:
        if expect["outputs"] is None:
            assert name not in context["widgets"], context["widgets"].get(name)
        else:
            assert name in context["widgets"], f"no widgets.{name} in {context['widgets']}"
            assert_matches(expect["outputs"], context["widgets"][name], f"widgets.{name}")
    if "output_keys" in expect:
        assert sorted(context["widgets"].get(name, {})) == sorted(expect["output_keys"])
    if "wait" in expect:
        wait = state["wait"]
        assert wait is not None and wait["widget"] == name, f"not waiting in {name}: {wait}"
        wanted = expect["wait"]
        assert_matches({"kind": wanted} if isinstance(wanted, str) else wanted, wait, "wait")
    elif "event" in expect and state["status"] == "active":
        assert state["wait"] is None or state["wait"]["widget"] != name, state["wait"]
    if "action" in expect:
        actions = [e for e in effects if e["type"] == "action" and e.get("widget") == name]
        assert actions, f"{name} emitted no action: {effects}"
        problems = [matches(expect["action"], action) for action in actions]
        assert any(not p for p in problems), f"no action matches: {problems}"
    if "no_action" in expect:
        actions = [e for e in effects if e["type"] == "action" and e.get("widget") == name]
        assert not actions, actions
    if "messages" in expect:
        messages = [e for e in effects if e["type"] == "message"]
        assert_matches(expect["messages"], messages, "messages")
    if "http_requests" in expect:
        sent = [
            {
                "method": r.method,
                "url": r.url,
                "headers": r.headers,
                "body": None if r.body is None else r.body.decode(),
            }
            for r in http.requests
        ]
        assert_matches(expect["http_requests"], sent, "http requests")
    if "variables" in expect:
        assert_matches(expect["variables"], context["flow"]["variables"], "flow.variables")
    if "variable_keys" in expect:
        assert sorted(context["flow"]["variables"]) == sorted(expect["variable_keys"])
    if "context" in expect:
        assert_matches(expect["context"], context, "context")
    if "status" in expect:
        assert state["status"] == expect["status"], (state["ended_reason"], state["ended_detail"])
    if "ended_reason" in expect:
        assert state["ended_reason"] == expect["ended_reason"], state["ended_detail"]
    if "handled" in expect:
        assert handled == expect["handled"]
    if "steps" in expect:
        assert_matches(expect["steps"], steps, "steps")
    for step in steps:
        assert set(step) >= {"name", "transitioned_from", "transitioned_to", "type", "context"}
        json.dumps(step["context"])


@pytest.mark.parametrize(("widget", "case"), case_params())
def test_widget_case(widget, case):
    run_case(widget, case)


def documents() -> dict[str, dict[str, Any]]:
    return {path.stem: load(path) for path in sorted(CASES.glob("*.json"))}


def test_every_widget_type_has_a_case_file():
    types = {document["widget"]["type"] for document in documents().values()}
    assert {widget.type for widget in WIDGETS} <= types
    assert any(
        widget_for(document["widget"]).__class__ is External for document in documents().values()
    )


def test_each_file_is_named_after_its_widget_type():
    for stem, document in documents().items():
        assert document["widget"]["type"] == stem


@pytest.mark.parametrize("stem", sorted(documents()))
def test_the_cases_take_every_event_the_widget_has(stem):
    document = documents()[stem]
    widget = document["widget"]
    known = BY_TYPE.get(widget["type"])
    events = set(known.events) if known and known.events else set()
    events |= {t["event"] for t in widget["transitions"]}
    taken = {case["expect"].get("event") for case in document["cases"]}
    assert events <= taken, f"no case takes {sorted(events - taken)}"
