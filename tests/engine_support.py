"""What the engine tests inject: a clock, a scripted HTTP port, sids, subflows, flow builders.

Nothing here touches the network: the HTTP port answers from a script.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from editor.engine import runtime
from editor.engine.context import TRIGGER_EVENTS
from editor.engine.http import HttpFailure, HttpRequest, HttpResponse
from editor.engine.ports import Limits, Ports, Subflow

FLOW_SID = "FW" + "a" * 32
EXECUTION_SID = "FN" + "b" * 32
ACCOUNT_SID = "AC" + "c" * 32
CONTACT = "+15551230001"
FLOW_ADDRESS = "+15559870002"
# 17:00 UTC is 09:00 in Los Angeles, where Studio's Liquid dates live.
START = datetime(2026, 1, 15, 17, 0, tzinfo=UTC)
PRESET = "preset"
OK_JSON = {"status_code": 200, "content_type": "application/json", "body": '{"ok": true}'}


class Clock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeHttp:
    """An HttpPort that records every request and answers from a script, in order.

    A script item is a response {"status_code", "content_type", "body", "headers"} or a
    failure {"failure": "timeout"}; once the script is used up, `default` answers.
    """

    def __init__(self, script: Iterable[dict[str, Any]] = (), default: dict | None = None):
        self.script = list(script)
        self.default = default
        self.requests: list[HttpRequest] = []

    def fetch(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        item = self.script.pop(0) if self.script else self.default
        if item is None:
            raise HttpFailure("connection", "the script has no more responses")
        if "failure" in item:
            raise HttpFailure(item["failure"], "scripted failure")
        return HttpResponse(
            status_code=item.get("status_code", 200),
            content_type=item.get("content_type", ""),
            body=item.get("body", ""),
            headers={k.lower(): v for k, v in item.get("headers", {}).items()},
        )


def counting_sids() -> Callable[[str], str]:
    """Deterministic sids: SM000…01, SM000…02, …"""
    counter = itertools.count(1)
    return lambda prefix: f"{prefix}{next(counter):032x}"


class Subflows:
    """A subflow loader over {flow_sid: (revision, definition)} that remembers its calls."""

    def __init__(self, flows: dict[str, tuple[int, dict[str, Any]]] | None = None) -> None:
        self.flows = flows or {}
        self.calls: list[tuple[str, str, bool]] = []

    def __call__(self, sid: str, revision: str, test_user: bool) -> Subflow | None:
        self.calls.append((sid, revision, test_user))
        if sid not in self.flows:
            return None
        number, definition = self.flows[sid]
        if revision.isdigit() and int(revision) != number:
            return None
        return Subflow(sid, number, definition)


def make_ports(
    *,
    http: FakeHttp | None = None,
    clock: Clock | None = None,
    subflows: Subflows | None = None,
    limits: Limits | None = None,
) -> Ports:
    return Ports(
        http=http if http is not None else FakeHttp(),
        clock=clock or Clock(),
        new_sid=counting_sids(),
        load_subflow=subflows or Subflows(),
        limits=limits or Limits(),
        account_sid=ACCOUNT_SID,
    )


def default_payload(kind: str) -> dict[str, Any]:
    """What each channel's webhook carries when a test does not say otherwise."""
    if kind == "message":
        return {
            "AccountSid": ACCOUNT_SID,
            "MessageSid": "SM" + "1" * 32,
            "From": CONTACT,
            "To": FLOW_ADDRESS,
            "Body": "",
            "NumMedia": "0",
        }
    if kind == "call":
        return {
            "AccountSid": ACCOUNT_SID,
            "CallSid": "CA" + "2" * 32,
            "From": CONTACT,
            "To": FLOW_ADDRESS,
            "Caller": CONTACT,
            "Called": FLOW_ADDRESS,
            "CallStatus": "ringing",
            "Direction": "inbound",
        }
    if kind == "conversation":
        return {
            "AccountSid": ACCOUNT_SID,
            "ConversationSid": "CH" + "3" * 32,
            "MessageSid": "IM" + "3" * 32,
            "Author": CONTACT,
            "Body": "",
        }
    if kind == "parent":
        return {"parameters": {}}
    return {}


def start(
    definition: dict[str, Any],
    kind: str = "message",
    *,
    payload: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    ports: Ports | None = None,
    contact: str = CONTACT,
    flow_address: str = FLOW_ADDRESS,
) -> runtime.Result:
    return runtime.start(
        definition,
        kind=kind,
        contact=contact,
        flow_address=flow_address,
        ports=ports or make_ports(),
        flow_sid=FLOW_SID,
        execution_sid=EXECUTION_SID,
        revision=1,
        payload={**default_payload(kind), **(payload or {})},
        data=data,
    )


def trigger(first: str | None = None, **wired: str) -> dict[str, Any]:
    """A Trigger whose events all lead to `first`, unless named one by one in `wired`."""
    return {
        "name": "Trigger",
        "type": "trigger",
        "transitions": [
            {
                "event": event,
                **({"next": wired.get(event, first)} if wired.get(event, first) else {}),
            }
            for event in TRIGGER_EVENTS.values()
        ],
        "properties": {"offset": {"x": 0, "y": 0}},
    }


def flow(*states: dict[str, Any], first: str | None = None) -> dict[str, Any]:
    """A flow of `states` behind a Trigger that leads to `first` (default: the first state;
    "" leaves the Trigger unwired)."""
    if first is None and states:
        first = states[0]["name"]
    return {
        "description": "test flow",
        "states": [trigger(first), *states],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def state(name: str, type_: str, properties: dict | None = None, **events: Any) -> dict:
    """A state; keyword arguments wire events (`None` leaves one unwired)."""
    return {
        "name": name,
        "type": type_,
        "transitions": [
            {"event": event.replace("__", "-"), **({"next": target} if target else {})}
            for event, target in events.items()
        ],
        "properties": properties or {},
    }


def set_variables(name: str, next_: str | None = None, /, **variables: str) -> dict:
    return state(
        name,
        "set-variables",
        {"variables": [{"key": k, "value": v} for k, v in variables.items()]},
        next=next_,
    )


def send_message(name: str, body: str, next_: str | None = None) -> dict:
    return state(name, "send-message", {"body": body}, sent=next_, failed=None)


def send_and_wait(name: str, body: str, next_: str | None = None, **events: Any) -> dict:
    return state(
        name,
        "send-and-wait-for-reply",
        {"body": body, "timeout": "3600"},
        incomingMessage=next_,
        timeout=events.get("timeout"),
        deliveryFailure=events.get("deliveryFailure"),
    )


def timeout_event(result: runtime.Result) -> dict[str, Any]:
    """The timer event for what the execution waits on now."""
    return {"type": "timeout", "wait_id": result.state["wait"]["id"]}


def widget_flow(widget: dict[str, Any], *, preset: bool = False) -> dict[str, Any]:
    """One widget's flow: Trigger -> [preset ->] widget -> sink_<i> for each transition.

    `preset` is a hold (an undocumented type, so it waits for the channel) where a test can
    write into the context before the widget runs; a callback {"event": "go"} releases it.
    """
    widget = copy.deepcopy(widget)
    sinks = []
    for index, transition in enumerate(widget.get("transitions", [])):
        transition["next"] = f"sink_{index}"
        sinks.append(
            {
                "name": f"sink_{index}",
                "type": "set-variables",
                "transitions": [{"event": "next"}],
                "properties": {"variables": []},
            }
        )
    if widget["type"] == "trigger":
        states = [widget, *sinks]
    else:
        first = PRESET if preset else widget["name"]
        states = [trigger(first), widget, *sinks]
    if preset:
        hold = {
            "name": PRESET,
            "type": "harness-preset",
            "transitions": [{"event": "go", "next": widget["name"]}],
            "properties": {},
        }
        states.insert(1, hold)
    initial = widget["name"] if widget["type"] == "trigger" else "Trigger"
    return {"description": "case", "states": states, "initial_state": initial, "flags": {}}
