"""The flow document as the rules read it: well-formed widgets only, and its graph.

Any JSON value is accepted: states, transitions and properties that are not the shape
Studio writes are left out here (validation reports them), so no rule meets a surprise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..flowspec.catalogue import BY_TYPE, WidgetType
from .graph import Dominators, Edges, reachable, strongly_connected


@dataclass
class Transition:
    index: int
    event: str
    next: str | None
    conditions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Widget:
    index: int
    name: str
    type: str
    properties: dict[str, Any]
    transitions: list[Transition]
    raw_transitions: list[Any]

    @property
    def kind(self) -> WidgetType | None:
        return BY_TYPE.get(self.type)

    @property
    def label(self) -> str:
        kind = self.kind
        return f"`{self.name}` ({kind.label})" if kind else f"`{self.name}`"

    def wired(self, event: str) -> Transition | None:
        """The first transition for `event` (the one the engine follows)."""
        return next((t for t in self.transitions if t.event == event), None)


def read_widget(index: int, state: Any) -> Widget | None:
    if not isinstance(state, dict):
        return None
    name, type_ = state.get("name"), state.get("type")
    if not isinstance(name, str) or not name or not isinstance(type_, str):
        return None
    properties = state.get("properties")
    raw = state.get("transitions")
    raw = raw if isinstance(raw, list) else []
    transitions = []
    for j, t in enumerate(raw):
        if not isinstance(t, dict) or not isinstance(t.get("event"), str):
            continue
        target = t.get("next")
        conditions = t.get("conditions")
        transitions.append(
            Transition(
                j,
                t["event"],
                target if isinstance(target, str) and target else None,
                [c for c in conditions if isinstance(c, dict)]
                if isinstance(conditions, list)
                else [],
            )
        )
    return Widget(
        index, name, type_, properties if isinstance(properties, dict) else {}, transitions, raw
    )


class Flow:
    def __init__(self, document: dict[str, Any]) -> None:
        states = document.get("states")
        self.widgets: list[Widget] = []
        seen: set[str] = set()
        for i, state in enumerate(states if isinstance(states, list) else []):
            widget = read_widget(i, state)
            if widget is not None and widget.name not in seen:  # the first of a name wins
                seen.add(widget.name)
                self.widgets.append(widget)
        self.by_name: dict[str, Widget] = {w.name: w for w in self.widgets}
        initial = document.get("initial_state")
        trigger = self.by_name.get(initial) if isinstance(initial, str) else None
        if trigger is None or trigger.type != "trigger":
            trigger = next((w for w in self.widgets if w.type == "trigger"), None)
        self.trigger: Widget | None = trigger
        self.edges: Edges = {
            w.name: list(
                dict.fromkeys(t.next for t in w.transitions if t.next and t.next in self.by_name)
            )
            for w in self.widgets
        }

    def successors(self, name: str) -> list[str]:
        return self.edges.get(name, [])

    @cached_property
    def reachable(self) -> set[str]:
        """Widgets an execution can reach (the trigger included)."""
        return reachable(self.edges, [self.trigger.name]) if self.trigger else set()

    @cached_property
    def dominators(self) -> Dominators | None:
        return Dominators(self.edges, self.trigger.name) if self.trigger else None

    def upstream_everywhere(self, x: str, w: str) -> bool:
        """Whether x has run before w on every path to w: x dominates w and is not w."""
        return x != w and self.dominators is not None and self.dominators.dominates(x, w)

    def entry_reach(self, events: set[str]) -> set[str]:
        """Widgets reachable from the trigger's transitions for `events`."""
        if self.trigger is None:
            return set()
        starts = [t.next for t in self.trigger.transitions if t.event in events and t.next]
        return reachable(self.edges, [s for s in starts if s in self.by_name])

    @cached_property
    def loops(self) -> list[list[str]]:
        """Cycles: strongly connected parts of more than one widget, or a widget that leads
        to itself, in document order."""
        order = {w.name: w.index for w in self.widgets}
        parts = [
            sorted(p, key=order.__getitem__)
            for p in strongly_connected(self.edges)
            if len(p) > 1 or p[0] in self.edges.get(p[0], [])
        ]
        return sorted(parts, key=lambda p: order[p[0]])
