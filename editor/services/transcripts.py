"""An execution's transcript entries (docs/protocol.md, "The transcript") and the execution
as the live protocol shows it."""

from __future__ import annotations

from typing import Any

from ..engine.runtime import Result
from ..flowspec import jsontext
from ..models import Execution, execution_reads
from .debug_state import debug_json

REPLY_EVENT = "incomingMessage"


def input_entry(event: dict[str, Any], source: str) -> dict[str, Any] | None:
    """What reached a waiting execution, as a transcript entry."""
    kind = event.get("type")
    if kind == "reply":
        return message_input("reply", event.get("message") or {}, source)
    if kind == "callback":
        params = event.get("params") or {}
        if "Digits" in params or "SpeechResult" in params:
            entry = {"kind": "input", "input": "gather", "source": source}
            if "Digits" in params:
                entry["digits"] = str(params["Digits"])
            if "SpeechResult" in params:
                entry["speech"] = str(params["SpeechResult"])
            return entry
        return {"kind": "input", "input": "event", "source": source, **named(params)}
    if kind == "event":
        entry = {"kind": "input", "input": "event", "source": source}
        return {**entry, "event": str(event.get("event") or "")}
    if kind == "debug":  # the step debugger's controls (editor/services/debugger.py)
        entry = {"kind": "debug", "event": event["action"], "source": source}
        more = {key: event[key] for key in ("widget", "path", "value") if key in event}
        return {**entry, **more}
    if kind in ("timeout", "hangup", "end", "expire"):
        return {"kind": "input", "input": kind, "source": source}
    return None


def named(params: dict[str, Any]) -> dict[str, Any]:
    return {"event": str(params["event"])} if params.get("event") else {}


def message_input(kind: str, message: dict[str, Any], source: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": "input", "input": kind, "source": source}
    sender = message.get("Author") or message.get("From")
    if sender:
        entry["from"] = str(sender)
    entry["body"] = str(message.get("Body") or "")
    media = message.get("MediaUrl0")
    if media:
        entry["media_url"] = str(media)
    return entry


def start_entry(
    kind: str,
    *,
    contact: str,
    payload: dict[str, Any] | None,
    parameters: dict[str, Any] | None,
    source: str,
) -> dict[str, Any]:
    if kind in ("message", "conversation"):
        return message_input(kind, {"From": contact, **(payload or {})}, source)
    entry: dict[str, Any] = {"kind": "input", "input": kind, "source": source, "from": contact}
    if kind == "parent" and payload:
        parameters = payload.get("parameters")
    if parameters:
        entry["parameters"] = parameters
    return entry


def result_entries(result: Result, step_sids: list[str], first_position: int) -> list[dict]:
    """The engine's steps and effects, in the order they happened."""
    entries: list[dict[str, Any]] = []
    steps = iter(enumerate(step_sids, start=first_position))
    for kind, item in result.timeline:
        if kind == "step":
            position, sid = next(steps)
            entry = {
                "kind": "step",
                "step": sid,
                "position": position,
                "event": item["name"],
                "from": item["transitioned_from"],
                "to": item["transitioned_to"],
                "widget_type": item["type"],
                "flow_sid": item["flow_sid"],
            }
            if item.get("mock"):  # a test run's mock answered the widget
                entry["mock"] = item["mock"]
            entries.append(entry)
        else:
            effect = {k: v for k, v in item.items() if k != "type"}
            entries.append({"kind": item["type"], **effect})
    return entries


def entries_after(execution: Execution, seq: int) -> list[dict[str, Any]]:
    """As TranscriptEntry.as_json gives them, read in one plain SELECT (every reply)."""
    rows = execution_reads.entry_rows(execution.pk, seq)
    return [{**jsontext.loads(data), "seq": n, "at": at.isoformat()} for n, data, at in rows]


def wait_json(state: dict[str, Any]) -> dict[str, Any] | None:
    wait = state.get("wait")
    if not wait:
        return None
    events = wait.get("events") or (wait.get("data") or {}).get("events") or []
    if wait.get("kind") == "reply":
        events = [e for e in events if e != REPLY_EVENT]
    return {
        "widget": wait["widget"],
        "widget_type": wait.get("type", ""),
        "kind": wait.get("kind", "callback"),
        "timeout_at": wait.get("timeout_at"),
        "timeout_event": wait.get("timeout_event"),
        "events": events,
        "action": wait.get("action"),
    }


def participants(execution: Execution) -> list[dict[str, Any]]:
    """A conversation run's participants: the contact who wrote, and the flow's address."""
    message = (execution.context.get("trigger") or {}).get("conversation")
    if not isinstance(message, dict):
        return []
    author = str(message.get("Author") or execution.contact_channel_address)
    key = "identity" if message.get("Source") == "SDK" else "address"
    contact = {"sid": str(message.get("ParticipantSid") or ""), key: author, "role": "contact"}
    flow = {"sid": "", "address": execution.flow_channel_address, "role": "flow"}
    return [contact, flow]


def execution_json(execution: Execution) -> dict[str, Any]:
    state = execution.state
    return {
        "sid": execution.sid,
        "flow_sid": execution.flow.sid,
        "revision": execution.flow_version,
        "status": execution.status,
        "ended_reason": state.get("ended_reason"),
        "ended_detail": state.get("ended_detail"),
        "trigger": execution.trigger,
        "contact": execution.contact_channel_address,
        "flow_address": execution.flow_channel_address,
        "origin": execution.origin,
        "last_seq": state.get("entries", 0),
        "wait": wait_json(state),
        "debug": debug_json(state),
        "participants": participants(execution),
        "context": state.get("context", {}),
        "date_created": execution.date_created.isoformat(),
        "date_updated": execution.date_updated.isoformat(),
    }
