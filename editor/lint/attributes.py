"""Task attributes that are not JSON: a Send to Flex with them takes `Failed to create task`
(editor/engine/widgets/send_to_flex.py parses them), an Enqueue Call hands TaskRouter text
it refuses. Properties marked `json` in the catalogue are checked with each `{{ … }}` output
standing for a value; text with Liquid tags (`{% … %}`) is only known once rendered and is
not checked."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from .context import Context
from .finding import Finding, Rule

ATTRIBUTES_JSON = Rule(
    "attributes-json",
    "error",
    "Task attributes (Send to Flex, Enqueue Call) that are not valid JSON: the task is never "
    "created.",
)
RULES = (ATTRIBUTES_JSON,)
# A Liquid output, whether it stands for a whole value (`{{ x | to_json }}`) or for part of
# a string (`"{{ x }}"`): a number is valid JSON in both places.
OUTPUT = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def json_error(text: str) -> str | None:
    """What is wrong with `text` as JSON, or None (valid, empty, or only known once
    rendered)."""
    if not text.strip() or "{%" in text:
        return None
    try:
        json.loads(OUTPUT.sub("0", text))
    except ValueError as exc:
        return getattr(exc, "msg", str(exc))
    return None


def check(ctx: Context) -> Iterator[Finding]:
    for widget in ctx.flow.widgets:
        kind = widget.kind
        if kind is None:
            continue
        for prop in kind.props:
            value = widget.properties.get(prop.name)
            if not prop.json or not isinstance(value, str):
                continue
            error = json_error(value)
            if error is None:
                continue
            yield ATTRIBUTES_JSON.found(
                widget.name,
                f"properties.{prop.name}",
                f"Widget {widget.label}: {prop.title} is not valid JSON ({error}), so the "
                f'task is never created. Write a JSON object, e.g. `{{"type": "support"}}`, '
                f'with Liquid inside quotes (`"{{{{trigger.message.From}}}}"`) or through '
                f"`| to_json`.",
            )
