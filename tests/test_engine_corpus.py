"""Every flow in the corpus through the engine, driven from each of its wired trigger events
until it ends, waits for an input the script has run out of, or hands the contact to an
external system; and every widget fixture of the corpus taking any event from any trigger
without failing."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from editor.engine import runtime
from editor.engine.context import TRIGGER_EVENTS
from editor.flowspec.studio_json import prepare

from .conftest import corpus_files
from .engine_support import OK_JSON, FakeHttp, make_ports, start, widget_flow

KIND_OF_EVENT = {event: kind for kind, event in TRIGGER_EVENTS.items()}
MAX_EVENTS = 15


# The corpus -------------------------------------------------------------------------------

CALLBACK = {
    "CallStatus": "in-progress",
    "DialCallStatus": "completed",
    "QueueResult": "bridged",
    "RecordingUrl": "https://api.twilio.com/recordings/RE1",
    "RecordingDuration": "5",
    "Result": "success",
    "VirtualAgentStatus": "completed",
    "SessionStatus": "completed",
    "FlowEvent": "return",
}
PAYLOADS = {
    "message": {"Body": "hello"},
    "conversation": {"Body": "hello"},
    "call": {},
    "parent": {"parameters": {"name": "Ann"}},
    "request": {},
}


class Script:
    """Scripted inputs: replies, then keypad and speech answers, then generic callbacks.
    With `timeouts`, every wait that has a timer gets its timeout instead."""

    def __init__(self, timeouts: bool) -> None:
        self.timeouts = timeouts
        self.replies = ["yes", "1", "hello"]
        self.gathers: list[dict[str, str]] = [{"Digits": "1"}, {"SpeechResult": "yes"}]

    def next_event(self, wait: dict[str, Any]) -> dict[str, Any] | None:
        if self.timeouts and wait.get("timeout_at") and wait.get("timeout_event"):
            return {"type": "timeout", "wait_id": wait["id"]}
        if wait["kind"] == "reply":
            return (
                {"type": "reply", "message": {"Body": self.replies.pop(0)}}
                if self.replies
                else None
            )
        if wait["type"] == "gather-input-on-call":
            return {"type": "callback", "params": self.gathers.pop(0)} if self.gathers else None
        return {"type": "callback", "params": dict(CALLBACK)}


def corpus_runs() -> list[Any]:
    runs = []
    for path in corpus_files("flows"):
        definition = prepare(json.loads(path.read_text(encoding="utf-8")))
        states = {s.get("name"): s for s in definition.get("states", [])}
        trigger = states.get(definition.get("initial_state", "Trigger"), {})
        kinds = [
            KIND_OF_EVENT[t["event"]]
            for t in trigger.get("transitions", [])
            if t.get("next") and t.get("event") in KIND_OF_EVENT
        ]
        for kind in kinds or ["message"]:
            for script in ("answers", "timeouts"):
                runs.append(
                    pytest.param(definition, kind, script, id=f"{path.stem}-{kind}-{script}")
                )
    return runs


def explains(definition: dict[str, Any], detail: str) -> bool:
    """An ERROR end is fine when the flow is broken, and the detail says where."""
    names = {s.get("name") for s in definition.get("states", [])}
    if detail.startswith("no widget named "):
        return detail.removeprefix("no widget named ") not in names
    widget = detail.split(":", 1)[0]
    return widget in names and ":" in detail


@pytest.mark.parametrize(("definition", "kind", "script"), corpus_runs())
def test_a_corpus_flow_runs_from_its_trigger(definition, kind, script):
    ports = make_ports(http=FakeHttp(default=OK_JSON))
    result = start(definition, kind, payload=PAYLOADS[kind], ports=ports)
    steps = list(result.steps)
    inputs = Script(timeouts=script == "timeouts")
    for _ in range(MAX_EVENTS):
        wait = result.wait
        if result.status != "active" or (wait["action"] or {}).get("verb") == "external":
            break
        event = inputs.next_event(wait)
        if event is None:
            break
        result = runtime.resume(definition, result.state, event, ports)
        steps += result.steps
        if not result.handled:
            break
    assert steps[0]["name"] == TRIGGER_EVENTS[kind]
    for step in steps:
        assert step["name"] and step["transitioned_from"] and step["transitioned_to"]
        assert isinstance(json.loads(json.dumps(step["context"])), dict)
    if result.status == "active":
        assert result.wait is not None
    elif result.state["ended_reason"] == runtime.ERROR:
        assert explains(definition, result.state["ended_detail"]), result.state["ended_detail"]
    else:
        assert result.state["ended_reason"] in (runtime.FLOW_END, runtime.LOOP_LIMIT)


# Widget fixtures -------------------------------------------------------------------------

ANY_EVENT = [
    {"type": "reply", "message": {"Body": "yes"}},
    {"type": "callback", "params": {}},
    {
        "type": "callback",
        "params": {
            "Digits": "1",
            "CallStatus": "completed",
            "QueueResult": "queue-full",
            "Result": "success",
            "VirtualAgentStatus": "failed",
        },
    },
    {"type": "return", "params": {"FlowEvent": "return", "x": "1"}},
    {"type": "timeout", "wait_id": 1},
    {"type": "hangup"},
    {"type": "end"},
]


def fixture_params() -> list[Any]:
    """Every widget fixture but the trigger's, which is what starts the others."""
    widgets = [
        pytest.param(json.loads(path.read_text(encoding="utf-8")), id=path.stem)
        for path in corpus_files("widget-fixtures")
    ]
    return [w for w in widgets if w.values[0]["type"] != "trigger"]


@pytest.mark.parametrize("widget", fixture_params())
def test_a_corpus_widget_takes_any_event_from_any_trigger_without_failing(widget):
    definition = widget_flow(widget)
    for kind, event in itertools.product(TRIGGER_EVENTS, ANY_EVENT):
        ports = make_ports(http=FakeHttp(default=OK_JSON))
        result = start(definition, kind, ports=ports)
        if result.status == "active":
            result = runtime.resume(definition, result.state, event, ports)
        assert result.state["ended_reason"] != runtime.ERROR, result.state["ended_detail"]
        assert result.status == "ended" or result.wait["widget"] == widget["name"]
