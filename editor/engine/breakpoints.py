"""The step debugger (docs/debugger.md): a part of the interpreter's Run
(editor/engine/runtime.py) that pauses a test run before a widget, takes the tester's
controls while paused, and starts a run at any widget with a seeded context.

A run is debuggable when its state has a `debug` dict, which only the test panel's runs
get (editor/services/debugger.py); a real execution has none and never pauses. The dict:

    {"tester": user id, "breakpoints": {widget: condition ("" = always)},
     "mode": "run" | "step", "run_to": widget | None, "skip": widget | None,
     "pause": None | {"reason", "condition", "error"}, "start": {"widget", "seed"} (once)}

A pause is a wait like any other (kind "pause", stored on the execution), so it is durable:
the execution stays paused across processes and reloads until the tester acts.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from . import templating
from .reasons import CALL_ENDED, ERROR

# Limits on what a tester may put into a run's context.
VALUE_MAX_BYTES = 16 * 1024
SEED_MAX_BYTES = 64 * 1024
VALUE_MAX_DEPTH = 16
PATH_MAX_SEGMENTS = 10
SEGMENT_MAX_CHARS = 100
CONDITION_MAX_CHARS = 1000
ACTIONS = ("continue", "step", "run_to", "edit")
SEED_KEYS = {"flow": ("data", "variables"), "widgets": None, "trigger": None}


class DebugInputError(ValueError):
    """A tester's edit, seed or target the debugger refuses; the message says why."""


def check_value(value: Any, where: str, limit: int = VALUE_MAX_BYTES) -> None:
    """JSON only, finite numbers, bounded size and depth."""
    size = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > VALUE_MAX_DEPTH:
            raise DebugInputError(f"{where} is nested more than {VALUE_MAX_DEPTH} levels deep")
        if isinstance(item, bool) or item is None:
            size += 5
        elif isinstance(item, int | float):
            if not math.isfinite(item):
                raise DebugInputError(f"{where} holds {item}: numbers must be finite")
            size += 24
        elif isinstance(item, str):
            size += len(item.encode()) + 2
        elif isinstance(item, list):
            stack.extend((x, depth + 1) for x in item)
            size += 2
        elif isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    raise DebugInputError(f"{where} has a key that is not text")
                size += len(key.encode()) + 4
                stack.append((inner, depth + 1))
        else:
            raise DebugInputError(f"{where} holds a {type(item).__name__}, not a JSON value")
        if size > limit:
            raise DebugInputError(f"{where} is larger than {limit // 1024} KB")


def check_path(path: str) -> list[str]:
    """`flow.variables.NAME` or `widgets.NAME[.key…]`, as segments."""
    parts = path.split(".") if isinstance(path, str) else []
    fix = "edit flow.variables.NAME or widgets.NAME.KEY"
    if any(not part or len(part) > SEGMENT_MAX_CHARS for part in parts):
        raise DebugInputError(f"{path!r} is not a context path: {fix}")
    if parts[:2] == ["flow", "variables"] and len(parts) == 3:
        return parts
    if parts[:1] == ["widgets"] and 2 <= len(parts) <= PATH_MAX_SEGMENTS:
        return parts
    raise DebugInputError(f"{path!r} cannot be edited: {fix}")


def check_seed(seed: Any) -> dict[str, Any]:
    """A start-anywhere seed: {"flow": {"data", "variables"}, "widgets", "trigger"}."""
    if seed is None:
        return {}
    if not isinstance(seed, dict):
        raise DebugInputError(
            "The seed is a JSON object: {flow: {data, variables}, widgets, trigger}"
        )
    for key, value in seed.items():
        if key not in SEED_KEYS:
            known = ", ".join(SEED_KEYS)
            raise DebugInputError(f"seed.{key} is not part of a seed; it may set {known}")
        if not isinstance(value, dict):
            raise DebugInputError(f"seed.{key} must be a JSON object")
        inner = SEED_KEYS[key]
        for name, item in value.items():
            if inner is not None and name not in inner:
                raise DebugInputError(
                    f"seed.{key}.{name} is not part of a seed; use flow.data or flow.variables"
                )
            if inner is not None and not isinstance(item, dict):
                raise DebugInputError(f"seed.{key}.{name} must be a JSON object")
            if key == "widgets" and not isinstance(item, dict):
                raise DebugInputError(f"seed.widgets.{name} must be a JSON object of its outputs")
    check_value(seed, "The seed", SEED_MAX_BYTES)
    return seed


def condition_holds(condition: str, context: dict[str, Any]) -> tuple[bool, str | None]:
    """A breakpoint's condition as Liquid's `if` reads it; one that cannot be evaluated
    counts as true, and the error says why (so a typo stops the run rather than hiding)."""
    source = "{% if " + condition + " %}1{% endif %}"
    syntax = templating.syntax_error(source)
    if syntax:
        return True, f"the condition could not be read: {syntax}"
    try:
        return templating.render(source, context) == "1", None
    except templating.RenderError as exc:
        return True, f"the condition failed: {exc}"


class Debugging:
    """Run's pausing, its controls while paused, and its start anywhere."""

    state: dict[str, Any]
    states: dict[str, dict[str, Any]]
    handled: bool

    def pause_before(self, name: str) -> bool:
        """Whether to pause before entering `name` (the root flow's widgets only: a
        subflow is stepped over)."""
        debug = self.state["debug"]
        if self.state["frames"]:
            return False
        if debug.get("skip") == name:
            debug["skip"] = None  # the widget the tester just let go of
            return False
        debug["skip"] = None
        condition, error, reason = "", None, None
        if debug.get("mode") == "step":
            reason = "step"
        elif debug.get("run_to") == name:
            reason = "run_to"
        elif name in debug.get("breakpoints", {}):
            condition = debug["breakpoints"][name] or ""
            holds, error = condition_holds(condition, self.context) if condition else (True, None)
            reason = "breakpoint" if holds else None
        if reason is None:
            return False
        self.pause(name, reason, condition, error)
        return True

    def pause(self, name: str, reason: str, condition: str, error: str | None) -> None:
        debug = self.state["debug"]
        debug["run_to"] = None
        debug["pause"] = {"reason": reason, "condition": condition, "error": error}
        self.state["wait_seq"] += 1
        self.state["wait"] = {
            "id": self.state["wait_seq"],
            "widget": name,
            "type": self.states[name].get("type", ""),
            "kind": "pause",
            "timeout_at": None,
            "timeout_event": None,
            "action": None,
            "data": {},
            "events": [],
        }
        paused = {"type": "debug", "event": "paused", "widget": name, "reason": reason}
        if condition:
            paused["condition"] = condition
        if error:
            paused["error"] = error
        self.emit(paused)

    def answer_pause(self, wait: dict[str, Any], event: dict[str, Any]) -> None:
        """An event for a paused execution: the tester's controls, or the caller hanging up."""
        kind = event.get("type")
        if kind == "hangup":
            self.state["wait"] = None
            self.state["debug"]["pause"] = None
            self.end(CALL_ENDED, "the caller hung up")
            return
        action = event.get("action")
        if kind != "debug" or action not in ACTIONS:
            self.handled = False
            return
        debug = self.state["debug"]
        if action == "edit":
            self.edit(event.get("path", ""), event.get("value"))
            return
        target = event.get("widget")
        if action == "run_to" and target not in self.states:
            self.handled = False
            return
        debug.update(mode="step" if action == "step" else "run", skip=wait["widget"], pause=None)
        debug["run_to"] = target if action == "run_to" else None
        self.state["wait"] = None
        self.advance(wait["widget"])

    def edit(self, path: str, value: Any) -> None:
        """Set one context value (validated by the caller with check_path/check_value).
        Written copy-on-write: earlier steps' snapshots share the old objects."""
        parts = check_path(path)
        check_value(value, path)
        context = self.context
        value = copy.deepcopy(value)
        if parts[0] == "flow":
            flow = context["flow"]
            context["flow"] = {**flow, "variables": {**flow.get("variables", {}), parts[2]: value}}
            return
        widgets = dict(context["widgets"])
        node: dict[str, Any] = widgets
        for part in parts[1:-1]:
            inner = node.get(part)
            node[part] = dict(inner) if isinstance(inner, dict) else {}
            node = node[part]
        node[parts[-1]] = value
        context["widgets"] = widgets

    def begin_at(self, start: dict[str, Any]) -> None:
        """Start anywhere: the seed goes into the context, then the run enters `widget` as
        if a transition had led there (its breakpoint, if any, pauses it first)."""
        name = start.get("widget")
        if name not in self.states:
            self.end(ERROR, f"no widget named {name}")
            return
        seed = start.get("seed") or {}
        context = self.context
        flow = seed.get("flow") or {}
        if "data" in flow:
            context["flow"]["data"] = copy.deepcopy(flow["data"])
        if "variables" in flow:
            context["flow"]["variables"] = copy.deepcopy(flow["variables"])
        context["widgets"].update(copy.deepcopy(seed.get("widgets") or {}))
        for key, value in (seed.get("trigger") or {}).items():
            current = context["trigger"].get(key)
            merged = (
                {**current, **value}
                if isinstance(current, dict) and isinstance(value, dict)
                else value
            )
            context["trigger"][key] = copy.deepcopy(merged)
        self.emit({"type": "debug", "event": "started", "widget": name})
        self.advance(name)
