"""A test case made from a finished execution (a test-panel run, or any execution to be
replayed): its trigger, the inputs of its transcript as the script, the responses its HTTP,
Function and subflow widgets got as mocks, and what it did (the messages sent, the path,
the end) as the expectations. Run against a changed flow, the first expectation that no
longer holds is where the flow now diverges."""

from __future__ import annotations

import json
from typing import Any

from ..engine.reasons import FLOW_END

TRIGGERS = {
    "message": "incomingMessage",
    "call": "incomingCall",
    "conversation": "incomingConversationMessage",
    "request": "incomingRequest",
}
HTTP_TYPES = ("make-http-request", "run-function")
FAILURES = ("timeout", "connection", "blocked", "too_large")


def trigger_of(execution: dict[str, Any], first: dict[str, Any]) -> dict[str, Any]:
    kind = execution["trigger"]
    trigger: dict[str, Any] = {"type": TRIGGERS.get(kind, "incomingMessage")}
    if kind == "request":
        trigger["from"] = execution["flow_address"]
        trigger["to"] = execution["contact"]
        trigger["parameters"] = first.get("parameters") or {}
        return trigger
    trigger["from"] = execution["contact"]
    trigger["to"] = execution["flow_address"]
    if kind in ("message", "conversation"):
        trigger["body"] = first.get("body", "")
        if first.get("media_url"):
            trigger["mediaUrl"] = first["media_url"]
    message = (execution.get("context", {}).get("trigger") or {}).get("message") or {}
    if kind == "message" and "ChannelSid" in message:
        trigger["channel"] = "chat"
    return trigger


def script_of(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every input after the one that started the run, named as a case names it. An input's
    widget and event are read from the step it led to."""
    script: list[dict[str, Any]] = []
    for n, entry in enumerate(entries):
        if entry.get("kind") != "input" or n == 0:
            continue
        step = next((e for e in entries[n + 1 :] if e.get("kind") == "step"), None)
        kind = entry.get("input")
        if kind == "reply":
            message: Any = entry.get("body", "")
            if entry.get("media_url"):
                message = {"body": message, "mediaUrl": entry["media_url"]}
            script.append({"message": message})
        elif kind == "gather":
            if "digits" in entry:
                script.append({"digits": entry["digits"]})
            else:
                script.append({"speech": entry.get("speech", "")})
        elif kind in ("timeout", "hangup"):
            script.append({kind: True})
        elif kind == "event":
            name = entry.get("event") or (step or {}).get("event")
            widget_type = (step or {}).get("widget_type")
            if widget_type == "say-play" and not entry.get("event"):
                continue  # a prompt that finished playing: the runner plays it through
            if name == "deliveryFailure":
                script.append({"deliveryFailure": True})
            elif name == "timeout" and widget_type == "gather-input-on-call":
                script.append({"timeout": True})
            elif name:
                script.append({"event": name})
        elif kind in ("end", "expire"):
            break
    return script


def mocks_of(steps: list[dict[str, Any]], flow_sid: str) -> dict[str, Any]:
    """The responses the run's HTTP and Function widgets got, and its subflows' outputs,
    from the context each of their steps recorded."""
    http: dict[str, list[dict[str, Any]]] = {}
    subflows: dict[str, dict[str, Any]] = {}
    for step in steps:
        if step.get("flow_sid") != flow_sid:
            continue
        name, kind = step["transitioned_from"], step["type"]
        outputs = ((step.get("context") or {}).get("widgets") or {}).get(name)
        if kind in HTTP_TYPES and isinstance(outputs, dict):
            error = outputs.get("error")
            if isinstance(error, dict):
                reason = error.get("reason")
                mock = {"failure": reason if reason in FAILURES else "connection"}
            else:
                mock = {"status": int(outputs.get("status_code") or 200)}
                if outputs.get("content_type"):
                    mock["headers"] = {"Content-Type": str(outputs["content_type"])}
                mock["body"] = str(outputs.get("body") or "")
            http.setdefault(name, []).append(mock)
        elif kind == "run-subflow":
            if step["name"] == "completed" and isinstance(outputs, dict):
                subflows[name] = {"outputs": outputs}
            elif step["name"] == "failed":
                subflows[name] = {"failed": True}
    out: dict[str, Any] = {}
    if http:
        out["http"] = {k: v[0] if len(v) == 1 else v for k, v in http.items()}
    if subflows:
        out["subflows"] = subflows
    return out


def expectations(
    entries: list[dict[str, Any]], execution: dict[str, Any], initial: str
) -> dict[str, Any]:
    flow_sid = execution["flow_sid"]
    steps = [e for e in entries if e.get("kind") == "step" and e.get("flow_sid") == flow_sid]
    path = [s["from"] for s in steps if s["from"] != initial]
    wait = execution.get("wait")
    if execution["status"] == "active" and wait:
        path.append(wait["widget"])
    expect: dict[str, Any] = {}
    messages = [
        {"widget": e["widget"], "body": e.get("body", "")}
        for e in entries
        if e.get("kind") == "message"
    ]
    for sent, entry in zip(
        messages, [e for e in entries if e.get("kind") == "message"], strict=True
    ):
        if entry.get("media_url"):
            sent["mediaUrl"] = entry["media_url"]
    expect["messages"] = messages
    actions = []
    for entry in entries:
        if entry.get("kind") == "action":
            action = {"verb": entry.get("verb", ""), "widget": entry.get("widget", "")}
            for key in ("say", "play"):
                if entry.get(key):
                    action[key] = entry[key]
            actions.append(action)
    if actions:
        expect["actions"] = actions
    expect["path"] = path
    if execution["status"] == "active" and wait:
        expect["end"] = {"status": "waiting", "widget": wait["widget"]}
    else:
        end: dict[str, Any] = {"status": "ended"}
        reason = execution.get("ended_reason")
        if reason and reason != FLOW_END:
            end["reason"] = reason
        expect["end"] = end
    return expect


def case_from_run(
    execution: dict[str, Any],
    entries: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    *,
    name: str,
    initial: str = "Trigger",
) -> dict[str, Any]:
    """`execution` as transcripts.execution_json gives it (plus flow_sid); `entries` its
    transcript; `steps` its steps with their decoded context snapshots."""
    first = next((e for e in entries if e.get("kind") == "input"), {})
    case: dict[str, Any] = {"name": name, "trigger": trigger_of(execution, first)}
    script = script_of(entries)
    if script:
        case["script"] = script
    mocks = mocks_of(steps, execution["flow_sid"])
    if mocks:
        case["mocks"] = mocks
    if execution.get("date_created"):
        case["clock"] = execution["date_created"]
    case["expect"] = expectations(entries, execution, initial)
    return json.loads(json.dumps(case, default=str))
