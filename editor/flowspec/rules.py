"""FlowValidate rules beyond Twilio's schema: one trigger, widgets that need the REST API
trigger, readable timers, older values, a flow larger than Twilio's schema takes.

Twilio documents wording only for the REST API one; the other messages are ours and name the
widget. They run after the schema pass, on states it found well-formed enough to read.
"""

from __future__ import annotations

import re
from typing import Any

from .catalogue import BY_TYPE, NO_DEFAULT, Prop, WidgetType
from .describe import quoted, shown, widget_label
from .problems import Problem, path, warning

REST_ONLY_TYPES = {"start-conversation"}
# Twilio's published flow-definition schema caps `states` at 1,000 items (docs/flow-format.md)
# while its limits page speaks of 2,000 widgets with subflows; this server stores up to
# 2,000 (schema.json) and warns past Twilio's schema, which its API would refuse.
TWILIO_MAX_STATES = 1000
REST_EVENTS = {"incomingRequest", "incomingParent"}
WHOLE_NUMBER = re.compile(r"^\s*[0-9]+\s*$")
# Words a duration may be instead of a number.
DURATION_WORDS = {("gather-input-on-call", "speech_timeout"): ("auto",)}


def rule_problems(document: dict[str, Any], states: list[dict[str, Any]]) -> list[Problem]:
    problems = trigger_problems(document, states) + rest_only_problems(states)
    problems += size_problems(states)
    for i, state in enumerate(states):
        widget = BY_TYPE.get(state.get("type")) if isinstance(state.get("type"), str) else None
        properties = state.get("properties")
        name = state.get("name")
        if widget is None or not widget.documented or not isinstance(properties, dict):
            continue
        label = name if isinstance(name, str) and name else f"#{i}"
        for key, value in properties.items():
            prop = widget.props_by_name.get(key)
            if prop is None or not (prop.duration or prop.older) or not prop.accepts(value):
                # Unknown keys are kept; wrong types are the meaning pass's to report.
                continue
            at = path("states", i, "properties", key)
            problems += duration_problems(widget, prop, value, at, label)
            problems += older_value_problems(widget, prop, value, at, label)
    return problems


def trigger_problems(document: dict[str, Any], states: list[dict[str, Any]]) -> list[Problem]:
    """A flow starts at one trigger; Studio's canvas never has two (docs/studio-semantics.md)."""
    triggers = [(i, s.get("name")) for i, s in enumerate(states) if s.get("type") == "trigger"]
    if len(triggers) < 2:
        return []
    initial = document.get("initial_state")
    keep = next((n for _, n in triggers if n == initial), triggers[0][1])
    listed = ", ".join(f"`{n}`" for _, n in triggers)
    problems = []
    for i, name in triggers:
        if name == keep:
            continue
        problems.append(
            Problem(
                f"widget {name} is a second trigger; a flow has exactly one, {keep}",
                path("states", i, "type"),
                hint=(
                    f"Widget `{name}` is another trigger: this flow has {len(triggers)} "
                    f"({listed}) and only one can start it. Keep `{keep}`, move the "
                    f"connections of `{name}` to it, and delete `{name}`."
                ),
            )
        )
    return problems


def duration_problems(
    widget: WidgetType, prop: Prop, value: Any, at: str, name: str
) -> list[Problem]:
    """A timer's length must be a whole number, 0 or more; otherwise the engine would be
    left waiting with no timer (or with one nobody asked for)."""
    if not prop.duration or readable_duration(widget, prop, value):
        return []
    unit = prop.duration
    default = "" if prop.default is NO_DEFAULT else f" Studio's default is {prop.default}."
    return [
        Problem(
            f"{prop.name} of widget {name} must be a whole number of {unit}, 0 or more, "
            f"not {shown(value)}",
            at,
            hint=(
                f"Widget `{name}` ({widget_label(widget)}): `{prop.name}` is {quoted(value)}. "
                f"Set it to a whole number of {unit}, 0 or more.{default}"
            ),
        )
    ]


def readable_duration(widget: WidgetType, prop: Prop, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    if isinstance(value, str):
        # Blank means "not set": the engine uses the default, as exports with "" expect.
        words = DURATION_WORDS.get((widget.type, prop.name), ())
        return not value.strip() or value.strip() in words or bool(WHOLE_NUMBER.match(value))
    return False


def older_value_problems(
    widget: WidgetType, prop: Prop, value: Any, at: str, name: str
) -> list[Problem]:
    """A value only older Studio wrote: Twilio still stores and runs it, so it is kept as
    written (exports stay lossless) and the author hears what Studio writes today."""
    today = prop.today(value)
    if today is None:
        return []
    return [
        warning(
            f"{prop.name} of widget {name} is {shown(value)}, a value older Studio versions "
            f"wrote; Studio writes {shown(today)} today",
            at,
            hint=(
                f"Widget `{name}` ({widget_label(widget)}): `{prop.name}` is {quoted(value)}, "
                f"a value only older Studio versions wrote. It is kept as it is and works as "
                f"{quoted(today)}, the value Studio writes today; choose {quoted(today)} to "
                f"update the flow."
            ),
        )
    ]


def size_problems(states: list[dict[str, Any]]) -> list[Problem]:
    """More widgets than Twilio's schema lets one flow definition have: kept, and said."""
    if len(states) <= TWILIO_MAX_STATES:
        return []
    return [
        warning(
            f"the flow has {len(states)} widgets; Twilio's flow schema allows at most "
            f"{TWILIO_MAX_STATES}, so Twilio refuses it",
            path("states"),
            hint=(
                f"This flow has {len(states)} widgets, more than the {TWILIO_MAX_STATES} "
                "Twilio takes in one flow: it runs here, but pushing it to Twilio or "
                "importing its export there fails. Move parts of it into subflows "
                "(Run Subflow) to bring it under the limit."
            ),
        )
    ]


def rest_only_problems(states: list[dict[str, Any]]) -> list[Problem]:
    """Widgets that need a REST-triggered flow: refused when no REST (or parent) trigger
    event is wired, a warning when channel events are wired beside it."""
    # A malformed state's type may be a list or an object, which no set can look up.
    users = [
        (i, s)
        for i, s in enumerate(states)
        if isinstance(s.get("type"), str) and s["type"] in REST_ONLY_TYPES
    ]
    if not users:
        return []
    wired: set[str] = set()
    for state in states:
        if state.get("type") == "trigger" and isinstance(state.get("transitions"), list):
            wired |= {
                str(t.get("event"))
                for t in state["transitions"]
                if isinstance(t, dict) and t.get("next")
            }
    others = sorted(wired - REST_EVENTS)
    if not others:
        return []
    if wired & REST_EVENTS:
        # The flow is REST-triggered too, which is what Twilio asks for; its docs describe
        # the widget taking `failed` in an execution that came in on a channel, so such a
        # flow is stored and runs. Worth a warning, not a refusal.
        return [
            warning(
                f"{s['type']} {s.get('name')} creates a conversation only in executions started "
                f"by the REST API; from {', '.join(others)} it takes failed",
                path("states", i),
                hint=f"Widget `{s.get('name')}` starts a conversation only when the REST API "
                f"started the execution. An execution that began with {', '.join(others)} "
                f"reaches it and takes `failed`; connect those trigger events elsewhere if "
                f"that is not what you want.",
            )
            for i, s in users
        ]
    return [
        Problem(
            f"{s['type']} can only be used in flows triggered by the REST API", path("states", i)
        )
        for i, s in users
    ]
