"""Driving an execution through the engine event by event, for the engine tests: a reply
from the contact, and resuming from the last result with the same ports."""

from __future__ import annotations

from editor.engine import runtime

from .engine_support import CONTACT, FLOW_ADDRESS


def resume(definition, result, event, ports):
    return runtime.resume(definition, result.state, event, ports)


def reply(body: str) -> dict:
    return {"type": "reply", "message": {"Body": body, "From": CONTACT, "To": FLOW_ADDRESS}}
