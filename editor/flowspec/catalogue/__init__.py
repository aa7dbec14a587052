"""Every Studio widget type: the one source of truth.

Validation, import/export, the canvas inspector (served as JSON) and the engine all read
this package. Each entry records the label and palette group the Console shows, the
transition events in the order exports list them, and each property's JSON type, the
default a newly dropped widget gets, whether it is required, its allowed values and whether
it is rendered with Liquid at run time. Studio's rules they encode: docs/studio-semantics.md.

- base.py: the building blocks (Prop, WidgetType, the constructors S, RAW, E, I, B, KV,
  the palette groups and the shared enumerations);
- flow_control.py, messaging.py, voice.py, voice_connectors.py, tools.py,
  other_products.py, legacy.py: the widgets, by family of Studio's widget library;
- registry.py: every type in order (WIDGET_TYPES, BY_TYPE), the lookups, the conditions
  of split-based-on, the channel each type needs and the JSON served to the canvas.

Import from here: these names are the catalogue's public ones.
"""

from __future__ import annotations

from .base import (
    ACRONYMS,
    CARD_TYPES,
    CHANNELS_MONO_DUAL,
    CONTENT_TYPES,
    GROUPS,
    HTTP_METHODS,
    JSON_TYPES,
    KV,
    MESSAGE_TYPES,
    NO_DEFAULT,
    RAW,
    TRIM,
    TRIM_OLDER,
    YES_NO,
    B,
    E,
    I,
    Prop,
    S,
    WidgetType,
    json_type_of,
)
from .messaging import CHAT_LEGACY, CONTENT_TEMPLATE
from .registry import (
    BY_TYPE,
    CHANNELS,
    CONDITION_TYPE_NAMES,
    CONDITION_TYPES,
    TYPE_NAMES,
    WIDGET_TYPES,
    as_json,
    channel_of,
    output_declared,
    widget_type,
)
from .voice import MACHINE_DETECTION, VOICE_PROMPT

__all__ = [
    "ACRONYMS",
    "BY_TYPE",
    "CARD_TYPES",
    "CHANNELS",
    "CHANNELS_MONO_DUAL",
    "CHAT_LEGACY",
    "CONDITION_TYPES",
    "CONDITION_TYPE_NAMES",
    "CONTENT_TEMPLATE",
    "CONTENT_TYPES",
    "GROUPS",
    "HTTP_METHODS",
    "JSON_TYPES",
    "KV",
    "MACHINE_DETECTION",
    "MESSAGE_TYPES",
    "NO_DEFAULT",
    "RAW",
    "TRIM",
    "TRIM_OLDER",
    "TYPE_NAMES",
    "VOICE_PROMPT",
    "WIDGET_TYPES",
    "YES_NO",
    "B",
    "E",
    "I",
    "Prop",
    "S",
    "WidgetType",
    "as_json",
    "channel_of",
    "json_type_of",
    "output_declared",
    "widget_type",
]
