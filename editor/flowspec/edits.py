"""Canvas edits on a flow's states, in pure Python.

An edit is a list of operations applied in order to the list of states; the service layer
stores the result. Every operation is checked here, so a bad one is refused with a message
before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .catalogue import BY_TYPE
from .jsontext import unstorable
from .studio_json import State, normalise_state, split_state, without_offset
from .validate import NAME_PATTERN, RESERVED_NAMES


class EditRefused(ValueError):
    """An operation that cannot apply; nothing of the edit is kept."""


@dataclass
class Working:
    """The states being edited, and which ones changed."""

    states: list[State]
    head: dict[str, Any]
    changed: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    head_changed: bool = False
    # Stored order of each widget; gaps are fine, order is what counts.
    positions: dict[str, int] = field(default_factory=dict)

    def find(self, name: str) -> State:
        for state in self.states:
            if state.name == name:
                return state
        raise EditRefused(f"There is no widget named {name}")

    def names(self) -> set[str]:
        return {s.name for s in self.states}

    def touch(self, name: str) -> None:
        self.changed.add(name)


def check_new_name(working: Working, name: Any) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name) or name in RESERVED_NAMES:
        raise EditRefused(
            f"{name!r} is not a widget name: start with a letter, then letters, digits, _ or -"
        )
    if len(name) > 100:
        raise EditRefused("Widget names are at most 100 characters")
    if name in working.names():
        raise EditRefused(f"There is already a widget named {name}")
    return name


def add_widget(working: Working, op: dict[str, Any]) -> None:
    state = op.get("state")
    if not isinstance(state, dict) or not isinstance(state.get("type"), str):
        raise EditRefused("add_widget needs a state with a type")
    check_new_name(working, state.get("name"))
    if state["type"] not in BY_TYPE:
        raise EditRefused(f"Unknown widget type {state['type']}")
    if state["type"] == "trigger":
        raise EditRefused("A flow has exactly one Trigger")
    state["transitions"] = checked_transitions(state.get("transitions", []))
    if not isinstance(state.setdefault("properties", {}), dict):
        raise EditRefused("properties must be an object")
    if "offset" in state["properties"]:
        state["properties"]["offset"] = checked_offset(state["properties"]["offset"])
    working.states.append(split_state(state))
    working.positions[state["name"]] = max(working.positions.values(), default=-1) + 1
    working.touch(state["name"])


def update_widget(working: Working, op: dict[str, Any]) -> None:
    """Replace a widget's properties, transitions and/or offset (whole values)."""
    state = working.find(op.get("name", ""))
    # Everything is checked before anything changes: a refused operation leaves no trace,
    # also when a rebased edit drops it and goes on with its other operations.
    if "properties" in op and not isinstance(op["properties"], dict):
        raise EditRefused("properties must be an object")
    transitions = checked_transitions(op["transitions"]) if "transitions" in op else None
    offset = checked_offset(op["offset"]) if "offset" in op else None
    if "properties" in op:
        state.properties = without_offset(op["properties"])
    if transitions is not None:
        state.transitions = transitions
    if offset is not None:
        state.offset = offset
    working.touch(state.name)


def set_properties(working: Working, op: dict[str, Any]) -> None:
    """Set some properties and remove others, leaving the rest as they are: the edit of one
    inspector field, which a concurrent edit of another field never conflicts with."""
    state = working.find(op.get("name", ""))
    changes = op.get("set", {})
    removed = op.get("unset", [])
    if not isinstance(changes, dict) or not isinstance(removed, list):
        raise EditRefused("set_properties needs `set` (an object) and `unset` (a list)")
    if "offset" in changes or "offset" in removed:
        raise EditRefused("The offset is moved with move_widgets")
    properties = {k: v for k, v in (state.properties or {}).items() if k not in removed}
    state.properties = {**properties, **changes}
    working.touch(state.name)


def move_widgets(working: Working, op: dict[str, Any]) -> None:
    moves = op.get("offsets")
    if not isinstance(moves, dict):
        raise EditRefused("move_widgets needs offsets by widget name")
    # Every widget and offset is checked before any moves (see update_widget).
    moved = [(working.find(name), checked_offset(offset)) for name, offset in moves.items()]
    for state, offset in moved:
        state.offset = offset
        working.touch(state.name)


def connect(working: Working, op: dict[str, Any]) -> None:
    """Point transition `index` of widget `name` at `next` (null unwires it)."""
    state = working.find(op.get("name", ""))
    index = op.get("index")
    if not isinstance(index, int) or not 0 <= index < len(state.transitions):
        raise EditRefused(f"{state.name} has no transition {index!r}")
    target = op.get("next")
    transition = dict(state.transitions[index])
    if target is None:
        transition.pop("next", None)
    else:
        working.find(target)
        if target == state.name and state.type == "trigger":
            raise EditRefused("The Trigger cannot lead to itself")
        transition["next"] = target
    state.transitions = [*state.transitions[:index], transition, *state.transitions[index + 1 :]]
    working.touch(state.name)


def delete_widgets(working: Working, op: dict[str, Any]) -> None:
    names = op.get("names")
    if not isinstance(names, list):
        raise EditRefused("delete_widgets needs a list of names")
    doomed = {working.find(n).name for n in names}
    if any(working.find(n).type == "trigger" for n in doomed):
        raise EditRefused("The Trigger cannot be deleted")
    working.states = [s for s in working.states if s.name not in doomed]
    working.deleted |= doomed
    working.changed -= doomed
    for state in working.states:
        if any(t.get("next") in doomed for t in state.transitions):
            state.transitions = [
                {k: v for k, v in t.items() if not (k == "next" and v in doomed)}
                for t in state.transitions
            ]
            working.touch(state.name)


def rename_widget(working: Working, op: dict[str, Any]) -> None:
    """Rename, rewriting every transition to it and every `widgets.OLD` in Liquid."""
    old = working.find(op.get("name", "")).name
    new = check_new_name(working, op.get("new_name"))
    if working.find(old).type == "trigger":
        raise EditRefused("The Trigger keeps its name")
    rewrite = reference_rewriter(old, new)
    for state in working.states:
        before = (state.name, state.transitions, state.properties)
        if state.name == old:
            state.name = new
        state.transitions = [
            {k: (new if k == "next" and v == old else rewrite(v)) for k, v in t.items()}
            for t in state.transitions
        ]
        state.properties = rewrite(state.properties)
        if (state.name, state.transitions, state.properties) != before:
            working.touch(state.name)
    working.deleted.add(old)
    working.changed.discard(old)
    working.positions[new] = working.positions.pop(old, len(working.positions))
    if working.head.get("initial_state") == old:
        working.head = {**working.head, "initial_state": new}
        working.head_changed = True


def reference_rewriter(old: str, new: str) -> Callable[[Any], Any]:
    """Rewrite `widgets.OLD` and `widgets["OLD"]` in every string of a JSON value."""
    dotted = re.compile(r"(?<![\w-])widgets\s*\.\s*" + re.escape(old) + r"(?![\w-])")
    bracketed = re.compile(r"""(?<![\w-])widgets\s*\[\s*(['"])""" + re.escape(old) + r"\1\s*\]")

    def rewrite(value: Any) -> Any:
        if isinstance(value, str):
            if old not in value:
                return value
            value = dotted.sub("widgets." + new, value)
            return bracketed.sub(lambda m: f"widgets[{m.group(1)}{new}{m.group(1)}]", value)
        if isinstance(value, list):
            return [rewrite(v) for v in value]
        if isinstance(value, dict):
            return {k: rewrite(v) for k, v in value.items()}
        return value

    return rewrite


def update_flow(working: Working, op: dict[str, Any]) -> None:
    """The flow's own settings: description and the concurrent-calls flag."""
    head = dict(working.head)
    if "description" in op:
        if not isinstance(op["description"], str):
            raise EditRefused("description must be text")
        head["description"] = op["description"]
    if "allow_concurrent_calls" in op:
        if not isinstance(op["allow_concurrent_calls"], bool):
            raise EditRefused("allow_concurrent_calls must be true or false")
        flags = head.get("flags") if isinstance(head.get("flags"), dict) else {}
        head["flags"] = {**flags, "allow_concurrent_calls": op["allow_concurrent_calls"]}
    working.head = head
    working.head_changed = True


def checked_offset(offset: Any) -> dict[str, int]:
    if not isinstance(offset, dict):
        raise EditRefused("An offset is {x, y}")
    try:
        # Strings are accepted as numbers; "inf" and "1e999" are not finite (OverflowError).
        return {**offset, "x": round(float(offset["x"])), "y": round(float(offset["y"]))}
    except (KeyError, TypeError, ValueError, OverflowError):
        raise EditRefused("An offset is {x, y} with finite numbers") from None


def checked_transitions(transitions: Any) -> list[dict[str, Any]]:
    if not isinstance(transitions, list) or not all(
        isinstance(t, dict) and isinstance(t.get("event"), str) for t in transitions
    ):
        raise EditRefused("transitions must be a list of {event, next?, conditions?}")
    return normalise_state({"transitions": transitions})["transitions"]


OPERATIONS: dict[str, Callable[[Working, dict[str, Any]], None]] = {
    "add_widget": add_widget,
    "update_widget": update_widget,
    "set_properties": set_properties,
    "move_widgets": move_widgets,
    "connect": connect,
    "delete_widgets": delete_widgets,
    "rename_widget": rename_widget,
    "update_flow": update_flow,
}


def apply(working: Working, ops: Any) -> Working:
    if not isinstance(ops, list) or not ops:
        raise EditRefused("An edit is a non-empty list of operations")
    # Every value an edit brings (names, properties, descriptions) is checked once, here.
    bad = unstorable(ops)
    if bad:
        where = bad.property_path.replace("#", "ops", 1)
        raise EditRefused(f"{where} {bad.message}")
    for op in ops:
        kind = op.get("op") if isinstance(op, dict) else None
        if not isinstance(kind, str) or kind not in OPERATIONS:
            raise EditRefused(f"Unknown operation {kind!r:.60}")
        OPERATIONS[kind](working, op)
    return working
