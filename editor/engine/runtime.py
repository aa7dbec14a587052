"""The interpreter: start() and resume() take a definition, a JSON run state and an event,
and return the new state with the steps taken and the effects (messages, channel actions).

It follows Studio's loop (docs/studio-semantics.md): enter a widget, run it, and either
leave by an event (writing widgets.NAME, recording a Step, following `next`) or wait for
the channel or a timer. A transition without `next` ends the flow; inside a subflow it
returns to the parent's Run Subflow widget. Studio's limits end the execution with a reason,
never with an error.

Run is the loop; its parts live beside it: leaving a widget and recording its Step
(steps.py), the limits and waits (guards.py), events for a waiting widget (answers.py),
subflows (subflows.py) and a test run's debugger (breakpoints.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import liquid_environment, templating
from .answers import Answering
from .breakpoints import Debugging
from .context import TRIGGER_EVENTS, new_context
from .guards import Guards
from .ports import Ports
from .reasons import API_ENDED, CALL_ENDED, ERROR, FLOW_END, LIFETIME, LOOP_LIMIT, STEP_LIMIT
from .steps import Stepping
from .subflows import Subflows
from .widgets import widget_for
from .widgets.base import Next, StartSubflow, Wait, Widget

__all__ = ["API_ENDED", "CALL_ENDED", "ERROR", "FLOW_END", "LIFETIME", "LOOP_LIMIT"]
__all__ += ["STEP_LIMIT", "EngineError", "Result", "resume", "start"]


class EngineError(Exception):
    """The caller asked for something impossible, such as resuming an ended execution."""


@dataclass
class Result:
    state: dict[str, Any]
    steps: list[dict[str, Any]] = field(default_factory=list)
    effects: list[dict[str, Any]] = field(default_factory=list)
    # False when the event did not apply (nothing waits for it, or the timer is stale).
    handled: bool = True
    # Steps and effects interleaved in the order they happened: ("step" | "effect", item).
    timeline: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.state["status"]

    @property
    def wait(self) -> dict[str, Any] | None:
        return self.state.get("wait")


def start(
    definition: dict[str, Any],
    *,
    kind: str,
    contact: str,
    flow_address: str,
    ports: Ports,
    flow_sid: str,
    execution_sid: str,
    revision: int = 0,
    payload: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    test_user: bool = False,
    debug: dict[str, Any] | None = None,
) -> Result:
    """Begin an execution at the trigger, for one of the five trigger kinds; a test run's
    `debug` (editor/engine/breakpoints.py) may pause it, or start it at another widget."""
    if kind not in TRIGGER_EVENTS:
        raise EngineError(f"unknown trigger kind {kind!r}")
    context = new_context(
        kind=kind,
        flow_sid=flow_sid,
        execution_sid=execution_sid,
        contact=contact,
        flow_address=flow_address,
        payload=payload or {},
        data=data or {},
    )
    state = {
        "status": "active",
        "ended_reason": None,
        "ended_detail": None,
        "started_at": ports.clock().isoformat(),
        "flow": {"sid": flow_sid, "revision": revision},
        "test_user": test_user,
        "context": context,
        "wait": None,
        "wait_seq": 0,
        "steps": 0,
        "streak": {"widget": None, "count": 0},
        "frames": [],
    }
    if debug is not None:
        state["debug"] = debug
    run = Run(definition, state, ports)
    with clock(ports):
        at = debug.pop("start", None) if debug else None
        run.begin_at(at) if at else run.begin(TRIGGER_EVENTS[kind])
    return run.result()


def resume(
    definition: dict[str, Any], state: dict[str, Any], event: dict[str, Any], ports: Ports
) -> Result:
    """Deliver an event: {"type": "reply" | "callback" | "timeout" | "hangup" | "end", …}.

    The state is updated in place and returned in the result.
    """
    if state["status"] != "active":
        raise EngineError("the execution has ended")
    run = Run(definition, state, ports)
    if event.get("type") == "end":
        run.end(API_ENDED)
    elif run.expired():
        run.end(LIFETIME)
    elif run.lost:
        run.end(ERROR, run.lost)
    else:
        with clock(ports):
            run.deliver(event)
    return run.result()


@contextmanager
def clock(ports: Ports) -> Iterator[None]:
    """Liquid's "now" is the injected clock for the whole call."""
    token = liquid_environment.CLOCK.set(ports.clock)
    try:
        yield
    finally:
        liquid_environment.CLOCK.reset(token)


class Run(Answering, Debugging, Guards, Stepping, Subflows):
    """One start() or resume() call: the state being advanced and what it produced."""

    def __init__(self, root: dict[str, Any], state: dict[str, Any], ports: Ports) -> None:
        self.state = state
        self.ports = ports
        self.steps: list[dict[str, Any]] = []
        self.effects: list[dict[str, Any]] = []
        self.timeline: list[tuple[str, dict[str, Any]]] = []
        self.handled = True
        self.built: dict[int, Widget] = {}
        self.root = root
        self.definition = root
        # Why the execution cannot go on: the subflow it waits in can no longer be loaded.
        self.lost: str | None = None
        # Only a test run has a debugger: a real run checks this one flag per widget.
        self.debugging = "debug" in state
        if state["frames"]:
            flow = state["flow"]
            child = ports.load_subflow(flow["sid"], str(flow["revision"]), state["test_user"])
            if child is None:
                self.lost = f"subflow {flow['sid']} revision {flow['revision']} is gone"
            self.definition = child.definition if child else {}
        self.index_states()

    def index_states(self) -> None:
        self.states = {s["name"]: s for s in self.definition.get("states", [])}

    # What widgets use.
    @property
    def context(self) -> dict[str, Any]:
        return self.state["context"]

    @property
    def contact(self) -> str:
        return self.context["contact"]["channel"]["address"]

    @property
    def flow_address(self) -> str:
        return self.context["flow"]["channel"]["address"]

    @property
    def trigger_kind(self) -> str:
        kinds = [k for k in self.context["trigger"] if k != "parent"]
        return kinds[0] if kinds else "parent"

    def widget(self, state: dict[str, Any]) -> Widget:
        """One object per state per call: a loop re-enters the same instance."""
        built = self.built.get(id(state))
        if built is None:
            built = self.built[id(state)] = widget_for(state)
        return built

    def render(self, source: str) -> str:
        return templating.render(source, self.context)

    def sid(self, prefix: str) -> str:
        return self.ports.new_sid(prefix)

    def emit(self, effect: dict[str, Any]) -> None:
        self.effects.append(effect)
        self.timeline.append(("effect", effect))

    def result(self) -> Result:
        return Result(self.state, self.steps, self.effects, self.handled, self.timeline)

    # The loop.
    def begin(self, trigger_event: str) -> None:
        trigger = self.states.get(self.definition.get("initial_state", "Trigger"))
        if trigger is None:
            self.end(ERROR, "the flow has no initial state")
            return
        target = self.leave(self.widget(trigger), Next(trigger_event))
        self.advance(target)

    def advance(self, name: str | None) -> None:
        """Enter widgets from `name` until one waits or the flow ends."""
        while self.state["status"] == "active":
            if name is None:
                name = self.flow_finished()
                continue
            state = self.states.get(name)
            if state is None:
                self.end(ERROR, f"no widget named {name}")
                return
            if self.debugging and self.pause_before(name):
                return
            if not self.count_entry(name):
                return
            widget = self.widget(state)
            try:
                outcome = widget.enter(self)
            except templating.RenderError as exc:
                self.fail(widget, str(exc))
                return
            if isinstance(outcome, Wait):
                self.hold(widget, outcome)
                return
            if isinstance(outcome, StartSubflow):
                name = self.enter_subflow(widget, outcome)
                continue
            name = self.leave(widget, outcome)

    def end(self, reason: str, detail: str | None = None) -> None:
        self.state["status"] = "ended"
        self.state["ended_reason"] = reason
        self.state["ended_detail"] = detail
        self.state["wait"] = None
        self.emit({"type": "ended", "reason": reason, "detail": detail})
