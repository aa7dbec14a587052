"""Running a test case in memory: the real engine (editor/engine/runtime.py) on a flow's
definition, with the case's trigger, its script of inputs and its mocks. Nothing is stored
and nothing leaves the process unless the case allows the network; every run is bounded
by steps (Studio's 1,000 or the case's own) and wall time (10 s or the case's own)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..engine import runtime
from ..engine.context import TRIGGER_EVENTS
from ..engine.http import HttpPort
from ..engine.ports import Limits, Ports
from .assertions import check
from .ports import CaseHttp, CaseSubflows, Clock, Loader, counting_sids
from .result import result_of, unmocked
from .script import (
    DEFAULT_CONTACT,
    DEFAULT_FLOW_ADDRESS,
    ScriptError,
    describe,
    event_for,
    trigger_payload,
    waiting_for,
)

KINDS = {event: kind for kind, event in TRIGGER_EVENTS.items()}
KINDS["subflow"] = "parent"
DEFAULT_SECONDS = 10.0
DEFAULT_ACCOUNT = "AC" + "0" * 32
PLAY_THROUGH_LIMIT = 50
# Studio's own voice verbs that finish by themselves once played (as in the test panel).
SELF_COMPLETING = "say-play"


@dataclass
class Run:
    """What one case did: every step, message and action, and how it stands now."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    # The script input each step and effect came from (None: the trigger or a self-completion).
    problem: dict[str, Any] | None = None
    initial: str = "Trigger"

    def take(self, result: runtime.Result, source: int | None) -> None:
        self.state = result.state
        for kind, item in result.timeline:
            if kind == "step":
                self.steps.append({**item, "input": source, "index": len(self.steps) + 1})
            elif item.get("type") == "message":
                self.messages.append({**item, "step": len(self.steps) + 1})
            elif item.get("type") == "action":
                self.actions.append({**item, "step": len(self.steps) + 1})

    def root_steps(self, flow_sid: str) -> list[dict[str, Any]]:
        return [s for s in self.steps if s.get("flow_sid") == flow_sid]

    def path(self, flow_sid: str) -> list[str]:
        """The widgets entered, in order (the trigger left out), ending with the one the
        execution waits at, if it waits."""
        names = [
            s["transitioned_from"]
            for s in self.root_steps(flow_sid)
            if s["transitioned_from"] != self.initial
        ]
        wait = self.state.get("wait")
        if wait and not self.state.get("frames"):
            names.append(wait["widget"])
        return names

    def end(self) -> dict[str, Any]:
        wait = self.state.get("wait")
        status = "waiting" if self.state.get("status") == "active" else "ended"
        last = self.steps[-1]["transitioned_from"] if self.steps else None
        return {
            "status": status,
            "widget": wait["widget"] if wait else last,
            "reason": self.state.get("ended_reason"),
            "detail": self.state.get("ended_detail"),
        }

    def root_context(self) -> dict[str, Any]:
        frames = self.state.get("frames") or []
        return frames[0]["context"] if frames else self.state.get("context", {})


def run_case(
    case: dict[str, Any],
    definition: dict[str, Any],
    *,
    flow_sid: str = "FW" + "0" * 32,
    account_sid: str = DEFAULT_ACCOUNT,
    load_subflow: Loader | None = None,
    real_http: HttpPort | None = None,
) -> dict[str, Any]:
    """Run one validated case (editor/testcases/loader.py) and return its result."""
    began = time.monotonic()
    limits_in = case.get("limits") or {}
    deadline = began + float(limits_in.get("seconds", DEFAULT_SECONDS))
    start_at = datetime.fromisoformat(case["clock"]) if case.get("clock") else None
    clock = Clock(start_at or datetime.now().astimezone())
    types = {s["name"]: s.get("type", "") for s in definition.get("states", [])}
    mocks = case.get("mocks") or {}
    http = CaseHttp(
        mocks.get("http") or {},
        real=real_http if case.get("allowNetwork") else None,
        deadline=deadline,
        types=types,
    )
    subflows = CaseSubflows(mocks.get("subflows") or {}, definition, load_subflow)
    ports = Ports(
        http=http,
        clock=clock,
        new_sid=counting_sids(),
        load_subflow=subflows,
        limits=Limits(max_steps=int(limits_in.get("maxSteps", 1000))),
        account_sid=account_sid,
    )
    trigger = case["trigger"]
    kind = KINDS[trigger["type"]]
    run = Run(initial=definition.get("initial_state", "Trigger"))
    contact = trigger.get("from") or DEFAULT_CONTACT
    address = trigger.get("to") or DEFAULT_FLOW_ADDRESS
    if kind == "request":
        contact, address = trigger.get("to") or DEFAULT_CONTACT, trigger.get("from") or address
    result = runtime.start(
        definition,
        kind=kind,
        contact=contact,
        flow_address=address,
        ports=ports,
        flow_sid=flow_sid,
        execution_sid="FN" + "0" * 31 + "1",
        payload=trigger_payload(trigger, kind, account_sid),
        data=trigger.get("parameters") if kind == "request" else None,
        test_user=True,
    )
    run.take(result, None)
    play_through(run, definition, ports)
    script = case.get("script") or []
    for n, item in enumerate(script):
        if run.state["status"] != "active":
            run.problem = {
                "message": f"script[{n}] ({describe(item)}) was not used: "
                "the execution had already ended",
                "input": n,
            }
            break
        if time.monotonic() > deadline:
            run.problem = {"message": f"the case ran out of time before script[{n}]", "input": n}
            break
        try:
            event = event_for(item, run.state, trigger, account_sid)
        except ScriptError as exc:
            run.problem = {
                "message": f"script[{n}] is {exc} but {waiting_for(run.state)}",
                "input": n,
                "widget": (run.state.get("wait") or {}).get("widget"),
            }
            break
        if event["type"] == "timeout":
            clock.now = datetime.fromisoformat(run.state["wait"]["timeout_at"])
        waited_at = run.state["wait"]["widget"]
        result = runtime.resume(definition, run.state, event, ports)
        if not result.handled:
            run.problem = {
                "message": f"script[{n}] ({describe(item)}) was not taken: "
                f"{waiting_for(run.state)}",
                "input": n,
                "widget": waited_at,
            }
            break
        run.take(result, n)
        play_through(run, definition, ports)
    if run.problem is None and time.monotonic() > deadline:
        run.problem = {"message": "the case ran out of time"}
    outcomes = check(case, run, flow_sid=flow_sid, types=types)
    outcomes = unmocked(http, subflows, types) + outcomes
    return result_of(case, run, outcomes, flow_sid, began)


def play_through(run: Run, definition: dict[str, Any], ports: Ports) -> None:
    for _ in range(PLAY_THROUGH_LIMIT):
        wait = run.state.get("wait")
        if run.state.get("status") != "active" or not wait or wait.get("type") != SELF_COMPLETING:
            return
        result = runtime.resume(definition, run.state, {"type": "callback", "params": {}}, ports)
        if not result.handled:
            return
        run.take(result, None)
