"""Fixes as canvas edit operations, in the format editor/flowspec/edits.py applies."""

from __future__ import annotations

import copy
from typing import Any

from .flow import Widget


def fix(label: str, *edits: dict[str, Any]) -> dict[str, Any]:
    return {"label": label, "edits": list(edits)}


def delete_widget(widget: Widget) -> dict[str, Any]:
    return fix(f"Delete {widget.name}", {"op": "delete_widgets", "names": [widget.name]})


def connect(widget: Widget, index: int, target: str) -> dict[str, Any]:
    return fix(
        f"Connect {widget.name} to {target}",
        {"op": "connect", "name": widget.name, "index": index, "next": target},
    )


def replace_text(widget: Widget, field: str, new: str, label: str) -> dict[str, Any] | None:
    """An edit that sets the text at `field` (as texts.liquid_fields names it) to `new`."""
    parts = field.split(".")
    if parts[0] == "properties" and len(parts) == 2:
        edit = {"op": "set_properties", "name": widget.name, "set": {parts[1]: new}}
        if widget.type == "split-based-on" and parts[1] == "input":
            return fix(label, edit, *copies_of_input(widget, new))
        return fix(label, edit)
    if parts[0] == "properties" and len(parts) == 4 and parts[2].isdigit():
        items = copy.deepcopy(widget.properties.get(parts[1]))
        n = int(parts[2])
        if not isinstance(items, list) or n >= len(items) or not isinstance(items[n], dict):
            return None
        items[n][parts[3]] = new
        return fix(label, {"op": "set_properties", "name": widget.name, "set": {parts[1]: items}})
    if parts[0] == "transitions" and len(parts) >= 5 and parts[1].isdigit():
        transitions = copy.deepcopy(widget.raw_transitions)
        try:
            target: Any = transitions[int(parts[1])]
            for part in parts[2:-1]:
                target = target[int(part)] if isinstance(target, list) else target[part]
            last = parts[-1]
            if isinstance(target, list):
                target[int(last)] = new
            else:
                target[last] = new
        except (LookupError, TypeError, ValueError):
            return None
        return fix(label, {"op": "update_widget", "name": widget.name, "transitions": transitions})
    return None


def copies_of_input(widget: Widget, new: str) -> list[dict[str, Any]]:
    """The Console copies a split's input into each condition's arguments: a fix of the
    input rewrites those copies as well."""
    old = widget.properties.get("input")
    transitions = copy.deepcopy(widget.raw_transitions)
    changed = False
    for t in transitions:
        conditions = t.get("conditions") if isinstance(t, dict) else None
        for condition in conditions if isinstance(conditions, list) else []:
            arguments = condition.get("arguments") if isinstance(condition, dict) else None
            if isinstance(arguments, list):
                for m, argument in enumerate(arguments):
                    if argument == old:
                        arguments[m] = new
                        changed = True
    if not changed:
        return []
    return [{"op": "update_widget", "name": widget.name, "transitions": transitions}]
