"""The Liquid context of an execution: flow, trigger, widgets, contact
(docs/studio-semantics.md)."""

from __future__ import annotations

import contextlib
from typing import Any

from ..flowspec.jsontext import loads

TRIGGER_EVENTS = {
    "message": "incomingMessage",
    "call": "incomingCall",
    "conversation": "incomingConversationMessage",
    "request": "incomingRequest",
    "parent": "incomingParent",
}


def parse_channel_attributes(payload: dict[str, Any]) -> dict[str, Any]:
    """Only ChannelAttributes and AddOns arrive JSON-parsed (docs/studio-semantics.md)."""
    out = dict(payload)
    for key in ("ChannelAttributes", "AddOns"):
        value = out.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError, RecursionError):
                out[key] = loads(value)
    return out


def new_context(
    *,
    kind: str,
    flow_sid: str,
    execution_sid: str,
    contact: str,
    flow_address: str,
    payload: dict[str, Any],
    data: dict[str, Any],
) -> dict[str, Any]:
    """The context as the trigger leaves it. `payload` is the inbound webhook or request."""
    if kind == "request":
        trigger = {"from": flow_address, "to": contact, "parameters": data}
    else:
        trigger = parse_channel_attributes(payload)
    return {
        "flow": {
            "flow_sid": flow_sid,
            "sid": execution_sid,
            "channel": {"address": flow_address},
            "data": data,
            "variables": {},
        },
        "trigger": {kind: trigger},
        "widgets": {},
        "contact": {"channel": {"address": contact}},
    }


def child_context(
    parent: dict[str, Any],
    *,
    flow_sid: str,
    parameters: dict[str, Any],
    parent_flow_sid: str,
) -> dict[str, Any]:
    """A subflow sees the parent's trigger data and its own variables (docs/studio-semantics.md)."""
    trigger_kind = next(iter(parent["trigger"]), "")
    trigger = {k: v for k, v in parent["trigger"].items() if k != "parent"}
    trigger["parent"] = {
        "parameters": parameters,
        "execution_sid": parent["flow"]["sid"],
        "flow_sid": parent_flow_sid,
        "trigger_type": trigger_kind,
    }
    return {
        "flow": {
            "flow_sid": flow_sid,
            "sid": parent["flow"]["sid"],
            "channel": parent["flow"]["channel"],
            "data": parent["flow"].get("data", {}),
            "variables": {},
        },
        "trigger": trigger,
        "widgets": {},
        "contact": parent["contact"],
    }
