"""The catalogue's building blocks: Prop and WidgetType, the small constructors the widget
modules write their properties with (S, RAW, E, I, B, KV), Studio's palette groups and the
enumerations (each value as exports store it, with the Console's label). The widgets are
defined one module per family of Studio's widget library (flow_control.py, messaging.py,
voice.py, voice_connectors.py, tools.py, other_products.py, legacy.py) and listed in order
in registry.py. Studio's rules they encode: docs/studio-semantics.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import outputs as out

NO_DEFAULT: Any = object()
# Words a property's name spells in lower case that Studio writes in capitals.
ACRONYMS = {
    "url": "URL",
    "sid": "SID",
    "dtmf": "DTMF",
    "tts": "TTS",
    "twiml": "TwiML",
    "sip": "SIP",
}

GROUPS: tuple[tuple[str, str], ...] = (
    ("flow_control", "Flow Control"),
    ("voice", "Voice"),
    ("messaging", "Messaging"),
    ("tools", "Tools & Execute Code"),
    ("other_products", "Connect Other Products"),
    ("legacy", "Legacy"),
)

JSON_TYPES = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "array": list,
    "object": dict,
}


@dataclass(frozen=True)
class Prop:
    """One widget property as exports spell it."""

    name: str
    type: str = "string"
    default: Any = NO_DEFAULT
    required: bool = False
    # An enumeration: each value as exports store it, with the label the Console shows.
    choices: tuple[tuple[str, str], ...] = ()
    liquid: bool = False
    label: str = ""
    help: str = ""
    # For arrays: "key_value" ({key, value} items, value Liquid) or "string".
    items: str = ""
    # Other JSON types real exports use for this property; accepted and kept as they are.
    also: tuple[str, ...] = ()
    multiline: bool = False
    # A length of time ("seconds" or "milliseconds"): a whole number, 0 or more, written as
    # digits or as a JSON integer. Anything else leaves the engine without a timer.
    duration: str = ""
    # Values older Studio versions wrote that it no longer offers, each with the value it
    # writes today. Imports keep them as written and warn; the engine reads them as the
    # value they stand for.
    older: tuple[tuple[str, str], ...] = ()
    # What the engine assumes when a flow leaves the property out, where Studio documents a
    # value the Console does not write into a new widget (a Connect Call To's time limit is
    # 4 hours). The engine reads `runtime_default`, never a value of its own.
    assumed: Any = NO_DEFAULT
    # Values the Console offers for a free-text property (Say's voice and language), each
    # with a label; any other value and Liquid are accepted too.
    suggested: tuple[tuple[str, str], ...] = ()
    # Values the inspector offers that depend on the team rather than on the catalogue:
    # "flows" (a Run Subflow's flow SID: the team's other flows, by name; the editor's
    # document lists them as `team_flows`). Any other value is accepted too.
    offers: str = ""
    # Text that must be a JSON object or value once its Liquid is rendered (a Flex task's
    # attributes): the linter's `attributes-json` checks it (editor/lint/attributes.py).
    json: bool = False
    # A field the inspector shows only while another property has one of these values
    # (("noun", ("sip",)): a Connect Call To's SIP fields only for a SIP endpoint), or while
    # it holds a value of its own. Validation and the engine ignore it.
    shown_when: tuple[str, tuple[str, ...]] | None = None
    # Needed only while another property has one of these values (a Connect Call To's To
    # for every `noun` but a SIP endpoint): the linter's `empty-required` and the
    # inspector's mark read it; the schema does not (Studio's asks only for the key).
    required_when: tuple[str, tuple[str, ...]] | None = None

    def required_for(self, properties: dict[str, Any], kind_props: tuple[Prop, ...]) -> bool:
        """Whether a widget with these properties needs this one filled in."""
        if self.required:
            return True
        if not self.required_when:
            return False
        control, values = self.required_when
        default = next((p.default for p in kind_props if p.name == control), None)
        return properties.get(control, default) in values

    @property
    def enum(self) -> tuple[str, ...]:
        """The enumeration's stored values (empty: not enumerated)."""
        return tuple(value for value, _ in self.choices)

    def choice_label(self, value: Any) -> str:
        """The Console's label of an enumerated or suggested value; else the value."""
        found = (label for stored, label in (*self.choices, *self.suggested) if stored == value)
        return next(found, str(value))

    @property
    def title(self) -> str:
        """The label, else the name in words: waitUrlMethod and wait_url_method are both
        "Wait URL method" (Studio writes acronyms in capitals)."""
        if self.label:
            return self.label
        spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", self.name).replace("_", " ")
        words = [ACRONYMS.get(w.lower(), w.lower()) for w in spaced.split()]
        return " ".join(words)[:1].upper() + " ".join(words)[1:]

    @property
    def runtime_default(self) -> Any:
        """The value the engine uses for an absent property (NO_DEFAULT: none)."""
        return self.assumed if self.assumed is not NO_DEFAULT else self.default

    def accepts(self, value: Any) -> bool:
        return json_type_of(value) in (self.type, *self.also)

    def today(self, value: Any) -> str | None:
        """The value Studio writes today for an older `value`, or None."""
        if not self.older or not isinstance(value, str):
            return None
        return next((today for older, today in self.older if older == value), None)


@dataclass(frozen=True)
class WidgetType:
    type: str
    label: str
    group: str
    events: tuple[str, ...]
    name_prefix: str
    props: tuple[Prop, ...] = ()
    description: str = ""
    # Shown in the widget library. Legacy and undocumented types only import and export.
    palette: bool = True
    # False for types whose properties nobody documents: kept verbatim, never checked.
    documented: bool = True
    # Events some sources name but the Console does not offer; accepted on import.
    extra_events: tuple[str, ...] = ()
    # split-based-on: `match` may repeat, each with its own conditions.
    repeatable_events: tuple[str, ...] = ()
    # The Console's label of an event, where Studio's Console shows one; the canvas writes
    # `event_label(event)` under the widget's outputs.
    event_labels: dict[str, str] = field(default_factory=dict, compare=False)
    # What the engine writes under `widgets.<name>.`: dotted paths, `*` for any key below
    # (editor/flowspec/outputs.py). Empty for widgets that write nothing.
    outputs: tuple[str, ...] = ()
    props_by_name: dict[str, Prop] = field(init=False, repr=False, compare=False)
    compiled_outputs: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props_by_name", {p.name: p for p in self.props})
        object.__setattr__(self, "compiled_outputs", out.compile_outputs(self.outputs))

    @property
    def allowed_events(self) -> tuple[str, ...]:
        return self.events + self.extra_events

    def event_label(self, event: str) -> str:
        """The Console's label, else the event name in words: `noMatch` -> "No Match"."""
        if event in self.event_labels:
            return self.event_labels[event]
        words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", event).replace("-", " ").replace("_", " ")
        return " ".join(word[:1].upper() + word[1:] for word in words.split())

    def default_properties(self) -> dict[str, Any]:
        return {p.name: _copy(p.default) for p in self.props if p.default is not NO_DEFAULT}

    def default_transitions(self) -> list[dict[str, Any]]:
        return [{"event": e} for e in self.events if e not in self.repeatable_events]


def json_type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


# Small constructors keep the table below readable.
def S(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    """A Liquid-rendered string (Studio's default for string properties)."""
    kw.setdefault("liquid", True)
    return Prop(name, "string", default, **kw)


def RAW(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    """A string that is never rendered (SIDs, enums, keys)."""
    return Prop(name, "string", default, **kw)


def E(
    name: str, choices: tuple[tuple[str, str], ...], default: Any = NO_DEFAULT, **kw: Any
) -> Prop:
    """An enumerated string: (stored value, the Console's label) pairs."""
    return Prop(name, "string", default, choices=choices, **kw)


def I(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:  # noqa: E743
    return Prop(name, "integer", default, **kw)


def B(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    return Prop(name, "boolean", default, **kw)


def KV(name: str, default: Any = NO_DEFAULT, **kw: Any) -> Prop:
    """An array of {key, value} items whose values are Liquid."""
    kw.setdefault("liquid", True)
    return Prop(name, "array", default, items="key_value", **kw)


# Enumerations: each value as exports store it (never changed) and the Console's label.
HTTP_METHODS = (("GET", "GET"), ("POST", "POST"))
TRIM = (("trim-silence", "Trim silence"), ("do-not-trim", "Do not trim"))
# Older Studio wrote the trim choice as a "true"/"false" string (docs/flow-format.md);
# real exports of Make Outgoing Call still carry it, and Twilio stored them.
TRIM_OLDER = (("true", "trim-silence"), ("false", "do-not-trim"))
CHANNELS_MONO_DUAL = (("mono", "Mono"), ("dual", "Dual"))
MESSAGE_TYPES = (("custom", "Custom"), ("content_template", "Content Template"))
CONTENT_TYPES = (
    ("application/x-www-form-urlencoded;charset=utf-8", "Form URL Encoded"),
    ("application/json;charset=utf-8", "Application/JSON"),
    ("application/x-www-form-urlencoded", "Form URL Encoded (no charset)"),
    ("application/json", "Application/JSON (no charset)"),
)
CARD_TYPES = (
    ("amex", "American Express"),
    ("diners-club", "Diners Club"),
    ("discover", "Discover"),
    ("enroute", "enRoute"),
    ("jcb", "JCB"),
    ("maestro", "Maestro"),
    ("master-card", "Master Card"),
    ("mastercard", "Mastercard"),
    ("optima", "Optima"),
    ("visa", "Visa"),
)
# Studio stores these yes/no choices as the strings "true" and "false".
YES_NO = (("true", "Yes"), ("false", "No"))
