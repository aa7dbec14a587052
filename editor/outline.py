"""A flow as the pages show it without the canvas: widgets in reading order, their exits,
and validation problems pinned to the widget they are about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .flowspec.catalogue import CONDITION_TYPES, widget_type

CONDITION_LABELS = dict(CONDITION_TYPES)
STATE_PATH = re.compile(r"^#/states/(\d+)(?:/(.*))?$")
# The property that says most about a widget, per type, in order of preference.
HEADLINE_PROPERTIES = (
    "body",
    "say",
    "play",
    "input",
    "url",
    "to",
    "queue_name",
    "workflow_sid",
    "workflow",
    "flow_sid",
    "stream_url",
    "connector_name",
    "conversation_service_sid",
)


@dataclass(frozen=True)
class Exit:
    event: str
    target: str | None
    condition: str = ""
    # The target names no widget of this flow (an invalid draft).
    missing: bool = False


@dataclass(frozen=True)
class Node:
    name: str
    type: str
    label: str
    group: str
    summary: str
    exits: list[Exit]
    reachable: bool = True
    problems: int = 0

    @property
    def wired(self) -> int:
        return sum(1 for e in self.exits if e.target)


@dataclass(frozen=True)
class LocatedProblem:
    message: str
    property_path: str
    widget: str | None = None
    # The rest of the path inside the widget, e.g. "properties/url".
    detail: str = ""
    # The problem in plain words (which widget, which field, what to do).
    hint: str = ""


@dataclass
class Outline:
    nodes: list[Node] = field(default_factory=list)

    @property
    def unreachable(self) -> int:
        return sum(1 for n in self.nodes if not n.reachable)


def build_outline(
    widgets: Sequence[Any], initial_state: str | None, problems: Iterable[LocatedProblem] = ()
) -> Outline:
    """Widgets in the order a reader follows them from the trigger; unreachable ones last."""
    counts: dict[str, int] = {}
    for problem in problems:
        if problem.widget:
            counts[problem.widget] = counts.get(problem.widget, 0) + 1
    by_name = {w.name: w for w in widgets}
    order = reading_order(by_name, initial_state)
    reached = set(order)
    order += [w.name for w in widgets if w.name not in reached]
    return Outline(
        [
            node_for(
                by_name[name],
                reachable=name in reached,
                problems=counts.get(name, 0),
                known=set(by_name),
            )
            for name in order
        ]
    )


def reading_order(by_name: dict[str, Any], start: str | None) -> list[str]:
    if start not in by_name:
        return []
    order: list[str] = []
    queue = [start]
    seen = {start}
    while queue:
        name = queue.pop(0)
        order.append(name)
        for exit_ in exits_of(by_name[name].transitions):
            if exit_.target in by_name and exit_.target not in seen:
                seen.add(exit_.target)
                queue.append(exit_.target)
    return order


def node_for(
    widget: Any, *, reachable: bool = True, problems: int = 0, known: set[str] | None = None
) -> Node:
    kind = widget_type(widget.type)
    exits = exits_of(widget.transitions)
    if known is not None:
        exits = [replace(e, missing=bool(e.target) and e.target not in known) for e in exits]
    return Node(
        name=widget.name,
        type=widget.type,
        label=kind.label if kind else widget.type,
        group=kind.group if kind else "unknown",
        summary=summarise(widget.type, widget.properties),
        exits=exits,
        reachable=reachable,
        problems=problems,
    )


def exits_of(transitions: Any) -> list[Exit]:
    if not isinstance(transitions, list):
        return []
    exits = []
    for transition in transitions:
        if not isinstance(transition, dict):
            continue
        target = transition.get("next")
        exits.append(
            Exit(
                event=str(transition.get("event", "")),
                target=target if isinstance(target, str) and target else None,
                condition=describe_conditions(transition.get("conditions")),
            )
        )
    return exits


def describe_conditions(conditions: Any) -> str:
    if not isinstance(conditions, list):
        return ""
    parts = []
    for condition in conditions:
        if not isinstance(condition, dict):
            continue
        kind = condition.get("type")
        label = CONDITION_LABELS.get(kind, str(kind)) if isinstance(kind, str) else str(kind)
        if kind in ("is_blank", "is_not_blank"):
            parts.append(label)
        else:
            parts.append(f"{label} {condition.get('value', '')}".strip())
    return " and ".join(parts)


def summarise(type_: str, properties: Any) -> str:
    if not isinstance(properties, dict):
        return ""
    if type_ == "set-variables":
        # An invalid draft may hold any JSON value here (1.5, an object, text).
        items = properties.get("variables")
        keys = [
            str(item.get("key"))
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict)
        ]
        return "flow.variables: " + ", ".join(keys) if keys else ""
    for name in HEADLINE_PROPERTIES:
        value = properties.get(name)
        if isinstance(value, str) and value.strip():
            if name == "url" and type_ == "make-http-request":
                return f"{properties.get('method', 'GET')} {value}"
            return value
    return ""


def locate_problems(errors: Iterable[Any], names: Sequence[str | None]) -> list[LocatedProblem]:
    """`#/states/3/properties/url` names states[3]; other paths stay flow-wide."""
    located = []
    for error in errors:
        item = error.as_record() if hasattr(error, "as_record") else error
        at = str(item.get("property_path", ""))
        message = str(item.get("message", ""))
        hint = str(item.get("hint") or message)
        match = STATE_PATH.match(at)
        index = int(match.group(1)) if match else -1
        if 0 <= index < len(names):
            widget, detail = names[index], match.group(2) or ""
            located.append(LocatedProblem(message, at, widget, detail, hint))
        else:
            located.append(LocatedProblem(message, at, hint=hint))
    return located


def state_names(document: Any) -> list[str | None]:
    """Names by index in a raw document, for problems found before anything was stored."""
    states = document.get("states") if isinstance(document, dict) else None
    if not isinstance(states, list):
        return []
    return [
        s["name"] if isinstance(s, dict) and isinstance(s.get("name"), str) else None
        for s in states
    ]
