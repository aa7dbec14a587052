"""Required fields left empty: Studio's schema only asks that the key be there, so a blank
From or Request URL saves and publishes, then fails when an execution reaches the widget."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .finding import Finding, Rule
from .fixes import replace_text

EMPTY_REQUIRED = Rule(
    "empty-required",
    "error",
    "A field the widget needs (a Send Message's From, a Make HTTP Request's Request URL…) "
    "is empty: the widget fails when an execution reaches it.",
)
RULES = (EMPTY_REQUIRED,)


def check(ctx: Context) -> Iterator[Finding]:
    for widget in ctx.flow.widgets:
        kind = widget.kind
        if kind is None:
            continue
        for prop in kind.props:
            value = widget.properties.get(prop.name)
            needed = prop.required_for(widget.properties, kind.props)
            if not needed or not isinstance(value, str) or value.strip():
                continue
            field = f"properties.{prop.name}"
            default = prop.default if isinstance(prop.default, str) else ""
            example = f", for example {default}" if default.strip() else ""
            fix = (
                replace_text(widget, field, default, f"Use {default}") if default.strip() else None
            )
            yield EMPTY_REQUIRED.found(
                widget.name,
                field,
                f"Widget {widget.label}: {prop.title} is empty, but the widget needs it. "
                f"Fill in {prop.title}{example}.",
                fix,
            )
