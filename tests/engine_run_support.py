"""Driving an execution through the engine event by event, for the engine tests: a reply
from the contact, resuming from the last result with the same ports, and (Conversation) one
execution of a sample flow with everything it has sent and done so far."""

from __future__ import annotations

from typing import Any

from editor.engine import runtime
from editor.samples import load_sample

from .engine_support import (
    CONTACT,
    FLOW_ADDRESS,
    Clock,
    FakeHttp,
    make_ports,
    start,
    timeout_event,
)


def resume(definition, result, event, ports):
    return runtime.resume(definition, result.state, event, ports)


def reply(body: str) -> dict:
    return {"type": "reply", "message": {"Body": body, "From": CONTACT, "To": FLOW_ADDRESS}}


class Conversation:
    """One execution of a sample flow, and everything it has sent and done so far."""

    def __init__(self, slug: str, kind: str, http: FakeHttp | None = None, **start_args: Any):
        self.definition = load_sample(slug)
        self.clock = Clock()
        self.http = http or FakeHttp()
        self.ports = make_ports(http=self.http, clock=self.clock)
        self.result = start(self.definition, kind, ports=self.ports, **start_args)
        self.steps = list(self.result.steps)
        self.effects = list(self.result.effects)

    def send(self, event: dict[str, Any]) -> runtime.Result:
        self.result = runtime.resume(self.definition, self.result.state, event, self.ports)
        self.steps += self.result.steps
        self.effects += self.result.effects
        return self.result

    def reply(self, body: str) -> runtime.Result:
        return self.send(reply(body))

    def callback(self, **params: str) -> runtime.Result:
        return self.send({"type": "callback", "params": params})

    def time_out(self) -> runtime.Result:
        return self.send(timeout_event(self.result))

    @property
    def texts(self) -> list[str]:
        return [e["body"] for e in self.effects if e["type"] == "message"]

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [e for e in self.effects if e["type"] == "action"]

    @property
    def waiting_in(self) -> str | None:
        return self.result.wait["widget"] if self.result.wait else None

    @property
    def ended(self) -> str | None:
        return self.result.state["ended_reason"]

    @property
    def path(self) -> list[str]:
        return [step["transitioned_from"] for step in self.steps]
