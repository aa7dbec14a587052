from __future__ import annotations

from typing import Any

from ..conditions import holds
from .base import Next, Widget


class SplitBasedOn(Widget):
    """The first `match` whose conditions all hold wins; otherwise `noMatch` (spec §3.2)."""

    type = "split-based-on"

    def enter(self, run: Any) -> Next:
        subject = self.text(run, "input")
        for index, transition in enumerate(self.transitions):
            conditions = transition.get("conditions")
            matched = transition.get("event") == "match" and conditions
            if matched and all(self.holds(run, c, subject) for c in conditions):
                return Next("match", index=index)
        return Next("noMatch")

    def holds(self, run: Any, condition: dict[str, Any], subject: str) -> bool:
        arguments = condition.get("arguments") or []
        if arguments and isinstance(arguments[0], str):
            subject = run.render(arguments[0])
        value = condition.get("value", "")
        value = run.render(value) if isinstance(value, str) else str(value)
        return holds(str(condition.get("type", "")), subject, value)
