"""A test case's expectations checked against what the run did. Each outcome says what was
checked, whether it held, what was expected and found, and the widget (and step) to show
on the canvas when it did not."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..engine import patterns
from ..engine.reasons import FLOW_END

if TYPE_CHECKING:
    from .runner import Run

MISSING = object()
# Friendlier names for the engine's voice verbs (TwiML's own words).
VERBS = {"say": "say_play", "play": "say_play", "connect": "dial", "pay": "pay"}
MESSAGE_KEYS = {"body": "body", "to": "to", "from": "from", "mediaUrl": "media_url"}


def shown(value: Any) -> str:
    if value is MISSING:
        return "nothing"
    return json.dumps(value, ensure_ascii=False, default=str)


def matches(matcher: Any, actual: Any) -> bool:
    """A value is `equals`; text and numbers compare as text when one side is text."""
    if isinstance(matcher, dict):
        ((test, expected),) = matcher.items()
        if test == "exists":
            return (actual is not MISSING and actual is not None) == expected
        if actual is MISSING:
            return False
        if test == "contains":
            return expected in as_text(actual)
        if test == "matches":
            return patterns.search(expected, as_text(actual))
        return equal(expected, actual)
    return actual is not MISSING and equal(matcher, actual)


def equal(expected: Any, actual: Any) -> bool:
    if expected == actual and type(expected) is type(actual):
        return True
    scalars = (str, int, float)
    if isinstance(expected, scalars) and isinstance(actual, scalars):
        if isinstance(expected, bool) or isinstance(actual, bool):
            return False
        return as_text(expected) == as_text(actual)
    return expected == actual


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


def describe(matcher: Any) -> str:
    if isinstance(matcher, dict):
        ((test, expected),) = matcher.items()
        return f"{test} {shown(expected)}"
    return shown(matcher)


def lookup(value: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def outcome(
    name: str, ok: bool, expected: str, actual: Any, widget: str | None = None, step: Any = None
) -> dict[str, Any]:
    out = {"assertion": name, "ok": ok, "expected": expected, "actual": shown(actual)}
    if not ok:
        out["message"] = f"{name}: expected {expected}, got {shown(actual)}"
    if widget:
        out["widget"] = widget
    if step:
        out["step"] = step
    return out


def check(case: dict[str, Any], run: Run, *, flow_sid: str, types: dict[str, str]) -> list[dict]:
    expect = case.get("expect") or {}
    out: list[dict[str, Any]] = []
    out += sequence("messages", expect.get("messages"), run.messages, run, message_field)
    out += sequence("actions", expect.get("actions"), run.actions, run, action_field)
    context = run.root_context()
    variables = (context.get("flow") or {}).get("variables") or {}
    for key, matcher in (expect.get("variables") or {}).items():
        actual = lookup(variables, key)
        out.append(
            outcome(f"flow.variables.{key}", matches(matcher, actual), describe(matcher), actual)
        )
    widgets = context.get("widgets") or {}
    for name, fields in (expect.get("widgets") or {}).items():
        for key, matcher in fields.items():
            actual = lookup(widgets.get(name, MISSING), key) if name in widgets else MISSING
            ok = matches(matcher, actual)
            out.append(outcome(f"widgets.{name}.{key}", ok, describe(matcher), actual, name))
    path = run.path(flow_sid)
    if "path" in expect:
        out.append(path_outcome(expect["path"], path, run))
    for name in expect.get("visits") or []:
        out.append(
            outcome(
                f"visits {name}",
                name in path,
                "visited",
                path,
                None if name in path else path[-1] if path else None,
            )
        )
    for name in expect.get("notVisits") or []:
        out.append(outcome(f"does not visit {name}", name not in path, "not visited", path, name))
    end = run.end()
    wanted = expect.get("end") or {}
    for key in ("status", "widget", "reason"):
        if key in wanted:
            ok = wanted[key] == end[key]
            out.append(outcome(f"end.{key}", ok, shown(wanted[key]), end[key], end["widget"]))
    if "reason" not in wanted and end["status"] == "ended" and end["reason"] != FLOW_END:
        # An execution that ended in error fails the case unless the case expects that.
        why = f"{end['reason']}: {end['detail']}" if end["detail"] else end["reason"]
        out.append(outcome("end.reason", False, shown(FLOW_END), why, end["widget"]))
    return out


def path_outcome(expected: list[str], actual: list[str], run: Run) -> dict[str, Any]:
    if expected == actual:
        return outcome("path", True, shown(expected), actual)
    n = next(
        (i for i, (e, a) in enumerate(zip(expected, actual, strict=False)) if e != a),
        min(len(expected), len(actual)),
    )
    if n < len(actual):
        widget = actual[n]
        detail = f"step {n + 1} of the path went to {actual[n]}"
        detail += f" instead of {expected[n]}" if n < len(expected) else " (not expected)"
    else:
        widget = actual[-1] if actual else None
        detail = f"the path stopped at {widget} before {expected[n]}"
    result = outcome("path", False, shown(expected), actual, widget)
    result["message"] = f"path: {detail}"
    return result


def message_field(item: dict[str, Any], key: str) -> Any:
    return item.get(MESSAGE_KEYS.get(key, key), MISSING) if key != "widget" else item["widget"]


def action_field(item: dict[str, Any], key: str) -> Any:
    return item.get(key, MISSING)


def sequence(
    what: str, expected: list[dict] | None, actual: list[dict], run: Run, field: Any
) -> list[dict[str, Any]]:
    """Every expected item against the item sent at that place, and the counts."""
    if expected is None:
        return []
    out = []
    for n, wanted in enumerate(expected):
        got = actual[n] if n < len(actual) else None
        for key, matcher in wanted.items():
            name = f"{what}[{n}].{key}"
            if got is None:
                last = run.steps[-1]["transitioned_from"] if run.steps else None
                out.append(outcome(name, False, describe(matcher), MISSING, last))
                continue
            if what == "actions" and key == "verb":
                ok = VERBS.get(matcher, matcher) == got.get("verb")
                out.append(outcome(name, ok, shown(matcher), got.get("verb"), got["widget"]))
                continue
            value = field(got, key)
            step = got.get("step") or None
            out.append(
                outcome(
                    name, matches(matcher, value), describe(matcher), value, got["widget"], step
                )
            )
    if len(actual) > len(expected):
        extra = actual[len(expected)]
        result = outcome(f"{what} count", False, str(len(expected)), len(actual), extra["widget"])
        result["message"] = (
            f"{what}: {len(actual)} sent, {len(expected)} expected; the first unexpected one "
            f"is from {extra['widget']}"
        )
        out.append(result)
    return out
