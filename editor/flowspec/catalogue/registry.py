"""The catalogue's registry and lookups: every widget type in the order exports, the
widget library and the JSON served to the canvas list them, indexed by type; the
predicates of split-based-on; the channel each type needs; and the catalogue as the canvas
consumes it (as_json). The widgets are defined by family in the modules beside this one.
"""

from __future__ import annotations

from typing import Any

from .. import outputs as out
from . import flow_control, messaging, other_products, tools, voice, voice_connectors
from .base import GROUPS, NO_DEFAULT, Prop, WidgetType
from .legacy import LEGACY

# The order matters: it is the widget library's order within each group, the order of the
# catalogue's JSON and of TYPE_NAMES.
WIDGET_TYPES: tuple[WidgetType, ...] = (
    flow_control.TRIGGER,
    flow_control.SPLIT_BASED_ON,
    flow_control.SET_VARIABLES,
    tools.RUN_SUBFLOW,
    messaging.SEND_MESSAGE,
    messaging.SEND_AND_WAIT_FOR_REPLY,
    tools.MAKE_HTTP_REQUEST,
    tools.RUN_FUNCTION,
    tools.RUN_FUNCTION_V2,
    tools.ADD_TWIML_REDIRECT,
    voice.SAY_PLAY,
    voice.GATHER_INPUT_ON_CALL,
    voice.CONNECT_CALL_TO,
    voice.MAKE_OUTGOING_CALL_V2,
    voice.MAKE_OUTGOING_CALL_V1,
    voice.RECORD_VOICEMAIL,
    voice.RECORD_CALL,
    voice.ENQUEUE_CALL,
    voice_connectors.CAPTURE_PAYMENTS,
    voice_connectors.FORK_STREAM,
    voice_connectors.CONNECT_VIRTUAL_AGENT,
    voice_connectors.CONNECT_VIRTUAL_AGENT_V2,
    other_products.SEND_TO_FLEX,
    other_products.SEND_TO_AUTO_PILOT,
    messaging.START_CONVERSATION,
    messaging.RESUME_CONVERSATION,
    voice_connectors.RUN_CONVERSATION_RELAY,
    *LEGACY,
)

BY_TYPE: dict[str, WidgetType] = {w.type: w for w in WIDGET_TYPES}
TYPE_NAMES: tuple[str, ...] = tuple(BY_TYPE)

# The 17 predicates of split-based-on (docs/studio-semantics.md), in the Console's order.
CONDITION_TYPES: tuple[tuple[str, str], ...] = (
    ("equal_to", "Equal To"),
    ("not_equal_to", "Not Equal To"),
    ("matches_any_of", "Matches Any Of"),
    ("does_not_match_any_of", "Does Not Match Any Of"),
    ("is_blank", "Is Blank"),
    ("is_not_blank", "Is Not Blank"),
    ("regex", "Regex"),
    ("contains", "Contains"),
    ("does_not_contain", "Does Not Contain"),
    ("starts_with", "Starts With"),
    ("does_not_start_with", "Does Not Start With"),
    ("less_than", "Less Than"),
    ("greater_than", "Greater Than"),
    ("is_before_time", "Is Before Time"),
    ("is_after_time", "Is After Time"),
    ("is_before_date", "Is Before Date"),
    ("is_after_date", "Is After Date"),
)
CONDITION_TYPE_NAMES: tuple[str, ...] = tuple(name for name, _ in CONDITION_TYPES)

# The channel a widget type needs: "voice" types act on a call in progress, "messaging"
# types on a message conversation; every other type works on any channel ("any"). The
# linter warns when a widget can only be reached from triggers of the other channel.
CHANNELS: dict[str, str] = {
    **{
        type_: "voice"
        for type_ in (
            *("say-play", "gather-input-on-call", "connect-call-to", "record-voicemail"),
            *("record-call", "enqueue-call", "capture-payments", "fork-stream"),
            *("connect-virtual-agent", "connect-virtual-agent-v2", "run-conversation-relay"),
        )
    },
    "send-and-wait-for-reply": "messaging",
}


def channel_of(type_: str) -> str:
    """ "voice", "messaging" or "any" (see CHANNELS)."""
    return CHANNELS.get(type_, "any")


def widget_type(type_: str) -> WidgetType | None:
    return BY_TYPE.get(type_)


def output_declared(widget_type: str, path: str) -> bool | None:
    """Whether widgets of `widget_type` write `path` (relative to `widgets.<name>`, dotted,
    `[0]` and `["key"]` allowed, Liquid's `.size`/`.first`/`.last` at the end); None when
    the type is unknown or nobody documents it, so nothing can be said."""
    found = BY_TYPE.get(widget_type)
    if found is None or not found.documented:
        return None
    return out.declared(found.compiled_outputs, path)


def as_json() -> dict[str, Any]:
    """The catalogue as the canvas consumes it (widget library and inspector)."""

    def prop_json(p: Prop) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": p.name,
            "type": p.type,
            "label": p.title,
            "required": p.required,
            "liquid": p.liquid,
        }
        if p.default is not NO_DEFAULT:
            out["default"] = p.default
        for key in ("enum", "help", "items", "also", "multiline", "offers"):
            value = getattr(p, key)
            if value:
                out[key] = list(value) if isinstance(value, tuple) else value
        for key in ("shown_when", "required_when"):
            when = getattr(p, key)
            if when:
                out[key] = {"property": when[0], "values": list(when[1])}
        # Values with the Console's labels: an enumeration's, or a free-text field's offers.
        for key in ("choices", "suggested"):
            if getattr(p, key):
                out[key] = [{"value": v, "label": label} for v, label in getattr(p, key)]
        return out

    return {
        "groups": [{"id": gid, "label": label} for gid, label in GROUPS],
        "widgets": [
            {
                "type": w.type,
                "label": w.label,
                "group": w.group,
                "description": w.description,
                "events": list(w.events),
                "extra_events": list(w.extra_events),
                "repeatable_events": list(w.repeatable_events),
                "event_labels": {e: w.event_label(e) for e in w.allowed_events},
                "name_prefix": w.name_prefix,
                "palette": w.palette,
                "documented": w.documented,
                "properties": [prop_json(p) for p in w.props],
                "default_properties": w.default_properties(),
                "outputs": list(w.outputs),
            }
            for w in WIDGET_TYPES
        ],
        "condition_types": [{"type": t, "label": label} for t, label in CONDITION_TYPES],
    }
