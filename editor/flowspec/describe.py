"""Small helpers that put flow values and places into plain words for problem texts."""

from __future__ import annotations

import json
from typing import Any

from .catalogue import WidgetType

SHORT = 60


def shown(value: Any) -> str:
    """A value as JSON, cut short: `"-5"`, `-5`, `true`, `["a"]`."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def quoted(value: Any) -> str:
    """A value as a person reads it: texts in quotes, containers by their kind."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return shown(value)


def kind(json_type: str) -> str:
    """What a JSON type name means to someone filling in a widget."""
    return {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "array": "a list",
        "object": "an object",
        "null": "null",
    }.get(json_type, json_type)


def widget_label(widget: WidgetType) -> str:
    return widget.label


def lookup(document: Any, property_path: str) -> tuple[bool, Any]:
    """The value a `#/a/0/b` path points at, and whether it exists."""
    node = document
    parts = property_path.lstrip("#").strip("/")
    for part in parts.split("/") if parts else []:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


def listing(values: Any, limit: int = 8) -> str:
    """`a, b, c` (and how many more)."""
    items = [str(v) for v in values]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
