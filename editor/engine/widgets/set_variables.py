from __future__ import annotations

import math
import re
from typing import Any

from ...flowspec.jsontext import loads
from .base import Next, Widget, parse_as_json, str_bool

NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")


def cast(text: str, parse_json: bool = False) -> Any:
    """Studio's casting: unquoted numbers become numbers, quotes keep a string, null is ""."""
    stripped = text.strip()
    if parse_json:
        try:
            return loads(stripped)
        except (ValueError, RecursionError):
            return text
    if stripped == "null":
        return ""
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        return stripped[1:-1]
    if NUMBER.match(stripped):
        try:
            number = float(stripped) if "." in stripped else int(stripped)
        except ValueError:  # an integer of more than 4,300 digits
            return text
        # 400 digits overflow a double; a number the state cannot store stays text.
        return number if not isinstance(number, float) or math.isfinite(number) else text
    return text


class SetVariables(Widget):
    """Assign flow.variables in order, so later items see earlier ones (spec §4.3)."""

    type = "set-variables"

    def enter(self, run: Any) -> Next:
        variables = run.context["flow"].setdefault("variables", {})
        outputs: dict[str, Any] = {}
        for item in self.items("variables"):
            if not isinstance(item, dict) or not isinstance(item.get("key"), str):
                continue
            value = item.get("value", "")
            rendered = run.render(value) if isinstance(value, str) else str(value)
            parse_json = parse_as_json(item) or str_bool(self.props.get("parse_as_json"))
            variables[item["key"]] = outputs[item["key"]] = cast(rendered, parse_json)
        return Next("next", outputs)
