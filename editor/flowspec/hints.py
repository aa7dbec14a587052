"""Every problem in plain words: which widget, which field, and what to do about it.

A problem's `message` stays Twilio's wording (the /v2/ API returns it, and SDK users match
on it); its `hint` is for the canvas and the pages. Hints are worked out from the problem's
path and Twilio's fixed messages, so any rule, ours or Twilio's, gets one without knowing
about this module. Problems that already carry a hint keep it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .catalogue import BY_TYPE, CONDITION_TYPE_NAMES
from .describe import kind, listing, lookup, quoted
from .problems import Problem

STATE_PATH = re.compile(r"^#/states/(\d+)(?:/(.*))?$")
TYPE_FOUND = re.compile(r"^(\w+) found, (.+) expected$")
MISSING = re.compile(r"^(.+) is missing but it is required$")
CONSTANT = "must be a constant value "
ENUMERATION = "does not have a value in the enumeration"
NO_WIDGET = "must match a widget name"


def explain(document: Any, problems: list[Problem]) -> list[Problem]:
    return [p if p.hint else replace(p, hint=hint_for(document, p)) for p in problems]


def hint_for(document: Any, problem: Problem) -> str:
    at, message = problem.property_path, problem.message
    match = STATE_PATH.match(at)
    if match is None:
        return flow_hint(document, at, message)
    states = document.get("states") if isinstance(document, dict) else None
    index = int(match.group(1))
    state = states[index] if isinstance(states, list) and index < len(states) else None
    return Place(document, state, index, match.group(2) or "").hint(message)


def flow_hint(document: Any, at: str, message: str) -> str:
    if at == "#/initial_state" and message == NO_WIDGET:
        initial = document.get("initial_state") if isinstance(document, dict) else None
        return (
            f"The flow starts at `{initial}` (initial_state), which is not a widget in this "
            f"flow. Set initial_state to the name of the trigger, usually `Trigger`."
        )
    missing = MISSING.match(message)
    if missing and at == "#":
        return f"The flow definition has no `{missing.group(1)}`, which Studio requires."
    found = TYPE_FOUND.match(message)
    if found:
        _, value = lookup(document, at)
        return f"`{at[2:] or 'The flow'}` is {quoted(value)}; Studio expects {kind(found[2])}."
    return f"{at}: {message}"


class Place:
    """One widget of the document and the path inside it that a problem is about."""

    def __init__(self, document: Any, state: Any, index: int, rest: str) -> None:
        self.document = document
        self.state = state if isinstance(state, dict) else {}
        self.rest = rest
        self.parts = rest.split("/") if rest else []
        name = self.state.get("name")
        self.name = name if isinstance(name, str) and name else f"#{index + 1}"
        type_ = self.state.get("type")
        self.widget = BY_TYPE.get(type_) if isinstance(type_, str) else None
        self.label = f"`{self.name}` ({self.widget.label})" if self.widget else f"`{self.name}`"
        self.at = f"#/states/{index}" + (f"/{rest}" if rest else "")

    def value(self) -> Any:
        return lookup(self.document, self.at)[1]

    def transition(self) -> dict[str, Any]:
        transitions = self.state.get("transitions")
        j = int(self.parts[1]) if len(self.parts) > 1 and self.parts[1].isdigit() else -1
        if isinstance(transitions, list) and 0 <= j < len(transitions):
            found = transitions[j]
            return found if isinstance(found, dict) else {}
        return {}

    def field(self) -> str:
        """`body`, or `variables` item 2, or condition 1 of transition `match`."""
        parts = self.parts
        if parts[:1] == ["properties"] and len(parts) > 1:
            if len(parts) > 2 and parts[2].isdigit():
                return f"item {int(parts[2]) + 1} of `{parts[1]}`"
            return f"`{parts[1]}`"
        if parts[:1] == ["transitions"] and len(parts) > 1:
            event = self.transition().get("event")
            where = f"transition `{event}`" if isinstance(event, str) else "a transition"
            if "conditions" in parts:
                k = parts.index("conditions") + 1
                number = int(parts[k]) + 1 if k < len(parts) and parts[k].isdigit() else 1
                return f"condition {number} of {where}"
            if len(parts) == 3:
                return f"`{parts[2]}` of {where}"
            return where
        return f"`{parts[0]}`" if parts else "the widget"

    def hint(self, message: str) -> str:
        for rule in (
            self.missing_target,
            self.wrong_event,
            self.not_in_enumeration,
            self.missing_field,
            self.wrong_type,
        ):
            text = rule(message)
            if text:
                return text
        if message == "must not be null":
            return f"Widget {self.label}: {self.field()} is null. Give it a value or remove it."
        if message == "must be a valid, non-liquid flow sid":
            return (
                f"Widget {self.label}: choose the subflow to run. `flow_sid` must be a flow SID "
                f"(FW followed by 32 hex digits), not {quoted(self.value())}."
            )
        if "is listed more than once" in message:
            return (
                f"Widget {self.label} lists transition `{self.transition().get('event')}` "
                f"more than once; only the first is followed. Remove the others."
            )
        if message.startswith("must be LatestPublished"):
            return (
                f"Widget {self.label}: `flow_revision` is {quoted(self.value())}. Use "
                f"LatestPublished, LatestDraft or a revision number such as 3."
            )
        if message.endswith("can only be used in flows triggered by the REST API"):
            return (
                f"Widget {self.label} only works in flows started by the REST API, and the "
                f"trigger's REST API event leads nowhere. Connect it, or remove the widget."
            )
        return f"Widget {self.label}, {self.field()}: {message}."

    def missing_target(self, message: str) -> str:
        if message != NO_WIDGET or self.parts[-1:] != ["next"]:
            return ""
        event = self.transition().get("event", "")
        return (
            f"Widget `{self.name}`: transition `{event}` goes to `{self.value()}`, which is not "
            f"a widget in this flow. Connect it to an existing widget or remove it."
        )

    def wrong_event(self, message: str) -> str:
        if not message.startswith(CONSTANT) or self.widget is None:
            return ""
        event = self.transition().get("event")
        return (
            f"Widget {self.label} has a transition for `{event}`, an event it never fires. "
            f"Use one of its events ({listing(self.widget.allowed_events)}) or remove it."
        )

    def not_in_enumeration(self, message: str) -> str:
        if not message.startswith(ENUMERATION):
            return ""
        if self.parts == ["type"]:
            return (
                f"Widget `{self.name}` has type {quoted(self.value())}, which is not a Studio "
                f"widget type. Change it to the type of the widget you meant, or remove it."
            )
        if self.parts[-1:] == ["type"] and "conditions" in self.parts:
            return (
                f"Widget `{self.name}`: {self.field()} uses {quoted(self.value())}, which is "
                f"not a split condition. Use one of {listing(CONDITION_TYPE_NAMES, 5)}."
            )
        allowed = message[len(ENUMERATION) :].strip(" []").replace('"', "")
        return (
            f"Widget {self.label}: {self.field()} is {quoted(self.value())}, which Studio does "
            f"not offer. Use one of: {allowed}."
        )

    def missing_field(self, message: str) -> str:
        missing = MISSING.match(message)
        if not missing:
            return ""
        key = missing.group(1)
        if self.parts == ["properties"]:
            return f"Widget {self.label} needs `{key}`. Fill it in before publishing."
        if self.parts[:1] == ["properties"]:
            return f"Widget {self.label}: {self.field()} has no `{key}`. Add one or remove it."
        if self.parts[:1] == ["transitions"]:
            return (
                f"Widget {self.label}: {self.field()} has no `{key}`. Add it or remove the "
                f"transition."
            )
        return f"Widget {self.label} has no `{key}`, which every widget needs."

    def wrong_type(self, message: str) -> str:
        found = TYPE_FOUND.match(message)
        if not found:
            return ""
        return (
            f"Widget {self.label}: {self.field()} is {quoted(self.value())}; Studio expects "
            f"{kind(found[2]) if ' or ' not in found[2] else found[2]} here."
        )
