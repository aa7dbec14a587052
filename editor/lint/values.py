"""Which context values are text: what webhooks and callbacks pass through is a string
(docs/studio-semantics.md), so comparing it with a number needs `| plus: 0` first."""

from __future__ import annotations

from .flow import Flow

TEXT_TRIGGERS = {"message", "call", "conversation"}
PARSED_TRIGGER_KEYS = {"ChannelAttributes", "AddOns"}  # JSON-parsed, keep their types
# Widgets whose outputs keep JSON types: Set Variables casts numbers, a subflow returns its
# variables, HTTP and Function responses have `parsed` and a numeric `status_code`.
TYPED_WIDGETS = {"set-variables", "run-subflow"}
TYPED_OUTPUTS = {"parsed", "status_code"}


def is_text(flow: Flow, path: tuple) -> bool:
    if len(path) >= 3 and path[0] == "trigger":
        return path[1] in TEXT_TRIGGERS and path[2] not in PARSED_TRIGGER_KEYS
    if len(path) >= 3 and path[0] == "widgets" and isinstance(path[1], str):
        widget = flow.by_name.get(path[1])
        if widget is None or widget.kind is None or not widget.kind.documented:
            return False
        return widget.type not in TYPED_WIDGETS and path[2] not in TYPED_OUTPUTS
    return path in (("contact", "channel", "address"), ("flow", "channel", "address"))


def shown(path: tuple) -> str:
    out = str(path[0])
    for segment in path[1:]:
        out += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
    return out
