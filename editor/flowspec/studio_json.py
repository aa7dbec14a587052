"""Studio flow JSON in and out: tolerant import, exact export (legacy exports: legacy.py).

Import keeps every key it does not understand, at every level, and the exact JSON type of
every value; the only change it makes is dropping a transition's `next` that is null or
"" (both mean unwired, and Studio's own exports omit the key). A state is split into the
parts the Widget model stores and joined back on export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .catalogue import BY_TYPE
from .jsontext import load_json, unstorable_text
from .legacy import convert_legacy, is_legacy
from .problems import DocumentError, Problem

STATE_KEYS = ("name", "type", "transitions", "properties")
HEAD_ORDER = ("description", "states", "initial_state", "flags")


@dataclass
class State:
    """One widget as stored: the parts of a state object, nothing lost."""

    name: str
    type: str
    transitions: list[dict[str, Any]] = field(default_factory=list)
    properties: dict[str, Any] | None = field(default_factory=dict)
    offset: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def read_document(text: str | bytes) -> dict[str, Any]:
    """Parse uploaded text into a modern Studio document (not yet validated)."""
    return prepare(load_json(text))


def prepare(value: Any) -> dict[str, Any]:
    """Accept a flow, a REST Flow resource (`definition`) or a legacy export."""
    if not isinstance(value, dict):
        raise DocumentError(
            [Problem("a flow definition must be a JSON object", "#", blocking=True)]
        )
    if "states" not in value and isinstance(value.get("definition"), dict):
        value = value["definition"]
    if is_legacy(value):
        value = convert_legacy(value)
    return normalise(value)


def resource_name(value: Any) -> str | None:
    """A REST API Flow resource's friendly_name (a flow's own document has none).

    One that is no text, or text no column can keep (a NUL, which JSON's \\u0000 escape
    makes and PostgreSQL refuses: a 500 on import), is no name: the flow is named as
    without one. The definition's own text is checked with the definition."""
    if not isinstance(value, dict) or "states" in value:
        return None
    if not isinstance(value.get("definition"), dict):
        return None
    name = value.get("friendly_name")
    if not isinstance(name, str) or unstorable_text(name):
        return None
    return name.strip()[:200] or None


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    """Drop `next` keys that are null or "" (unwired); everything else stays as it is."""
    states = document.get("states")
    if not isinstance(states, list):
        return document
    out = dict(document)
    out["states"] = [normalise_state(s) if isinstance(s, dict) else s for s in states]
    return out


def normalise_state(state: dict[str, Any]) -> dict[str, Any]:
    transitions = state.get("transitions")
    if not isinstance(transitions, list):
        return state
    out = dict(state)
    out["transitions"] = [
        {k: v for k, v in t.items() if k != "next" or v not in (None, "")}
        if isinstance(t, dict)
        else t
        for t in transitions
    ]
    return out


# Exports keep the author's key order, so a re-exported file diffs clean against the one
# imported. The parts are stored apart (a state's fields, its offset, a flow's states), so
# where the order is not the usual one a null placeholder keeps each part's place: a
# `properties.offset` placeholder, state keys in `extra`, a `states` key in the head. The
# usual order needs none, and keys added later go where Studio puts them.


def without_offset(properties: dict[str, Any]) -> dict[str, Any]:
    """Properties as a Widget stores them, the offset kept apart (see above)."""
    if "offset" not in properties:
        return dict(properties)
    if next(iter(properties)) == "offset" and properties["offset"] is not None:
        return {k: v for k, v in properties.items() if k != "offset"}
    return {k: None if k == "offset" else v for k, v in properties.items()}


def split_state(state: dict[str, Any]) -> State:
    properties = state.get("properties")
    offset = None
    if isinstance(properties, dict):
        offset = properties.get("offset")
        properties = without_offset(properties)
    known = [k for k in STATE_KEYS if k in state]
    unknown = {k: v for k, v in state.items() if k not in STATE_KEYS}
    if list(state) != known + list(unknown):
        unknown = {k: None if k in STATE_KEYS else v for k, v in state.items()}
    return State(
        name=state["name"],
        type=state["type"],
        transitions=list(state.get("transitions", [])),
        properties=properties,
        offset=offset,
        extra=unknown,
    )


def join_state(state: State) -> dict[str, Any]:
    known: dict[str, Any] = {"name": state.name, "type": state.type}
    known["transitions"] = state.transitions
    if state.properties is not None:
        properties = dict(state.properties)
        if "offset" in properties:
            properties["offset"] = state.offset
        elif state.offset is not None:
            properties = {"offset": state.offset, **properties}
        known["properties"] = properties
    elif state.offset is not None:
        # A state imported without `properties` (a trigger may have none) that was moved
        # since: the offset needs the object Studio keeps it in.
        known["properties"] = {"offset": state.offset}
    if not any(k in STATE_KEYS for k in state.extra):
        return {**known, **state.extra}
    out: dict[str, Any] = {}
    for key, value in state.extra.items():
        if key not in STATE_KEYS:
            out[key] = value
        elif key in known:
            out[key] = known.pop(key)
    return {**out, **known}


def split_document(document: dict[str, Any]) -> tuple[dict[str, Any], list[State]]:
    """The head (every top-level key but `states`) and the states."""
    head = {k: v for k, v in document.items() if k != "states"}
    if list(join_document(head, [])) != list(document):
        head = {k: None if k == "states" else v for k, v in document.items()}
    return head, [split_state(s) for s in document["states"]]


def join_document(head: dict[str, Any], states: list[State]) -> dict[str, Any]:
    if "states" in head:
        return {k: [join_state(s) for s in states] if k == "states" else v for k, v in head.items()}
    out: dict[str, Any] = {}
    for key in HEAD_ORDER:
        if key == "states":
            out["states"] = [join_state(s) for s in states]
        elif key in head:
            out[key] = head[key]
    out.update({k: v for k, v in head.items() if k not in out})
    return out


def new_state(type_: str, name: str, offset: dict[str, int] | None = None) -> State:
    """A freshly dropped widget with the catalogue's defaults."""
    widget = BY_TYPE[type_]
    return State(
        name=name,
        type=type_,
        transitions=widget.default_transitions(),
        properties=widget.default_properties(),
        offset=offset or {"x": 0, "y": 0},
    )


def new_document(description: str = "A New Flow") -> dict[str, Any]:
    return join_document(
        {
            "description": description,
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": True},
        },
        [new_state("trigger", "Trigger")],
    )
