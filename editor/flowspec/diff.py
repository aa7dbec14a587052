"""A short, per-widget account of how one Studio document differs from another: which
widgets were added, removed, changed (and in which properties) or only moved. Pull and
push show it when they refuse to overwrite someone else's change."""

from __future__ import annotations

from typing import Any

# Longer differences end with "and N more": the summary is for a terminal or a message.
MAX_LINES = 20


def states_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    states = document.get("states") if isinstance(document, dict) else None
    return {
        str(s.get("name")): s
        for s in states or []
        if isinstance(s, dict) and isinstance(s.get("name"), str)
    }


def properties_of(state: dict[str, Any]) -> dict[str, Any]:
    properties = state.get("properties")
    return properties if isinstance(properties, dict) else {}


def changed_parts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs in one widget, in a fixed order: type, properties, transitions, other keys."""
    parts = []
    if before.get("type") != after.get("type"):
        parts.append(f"type {before.get('type')} → {after.get('type')}")
    old, new = properties_of(before), properties_of(after)
    keys = sorted(k for k in {*old, *new} - {"offset"} if old.get(k) != new.get(k))
    parts.extend(keys)
    if before.get("transitions") != after.get("transitions"):
        parts.append("transitions")
    others = {*before, *after} - {"name", "type", "properties", "transitions"}
    parts.extend(sorted(k for k in others if before.get(k) != after.get(k)))
    return parts


def describe_state(state: dict[str, Any]) -> str:
    return f"{state.get('name')} ({state.get('type')})"


def difference(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Lines saying what turns `before` into `after`; none when they are the same flow."""
    lines: list[str] = []
    head = sorted(k for k in {*before, *after} - {"states"} if before.get(k) != after.get(k))
    if head:
        lines.append(f"changed the flow's {', '.join(head)}")
    old, new = states_of(before), states_of(after)
    lines.extend(f"added {describe_state(new[n])}" for n in new if n not in old)
    lines.extend(f"removed {describe_state(old[n])}" for n in old if n not in new)
    for name in (n for n in new if n in old):
        parts = changed_parts(old[name], new[name])
        if parts:
            lines.append(f"changed {name}: {', '.join(parts)}")
        elif properties_of(old[name]).get("offset") != properties_of(new[name]).get("offset"):
            lines.append(f"moved {name}")
    if len(lines) > MAX_LINES:
        rest = len(lines) - MAX_LINES + 1
        lines = [*lines[: MAX_LINES - 1], f"and {rest} more"]
    return lines
