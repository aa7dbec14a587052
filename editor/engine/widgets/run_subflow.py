from __future__ import annotations

import contextlib
from typing import Any

from ...flowspec.jsontext import loads
from .base import StartSubflow, Widget, parse_as_json


class RunSubflow(Widget):
    """Run another flow's chosen revision inside this execution (spec §2.9)."""

    type = "run-subflow"

    def enter(self, run: Any) -> StartSubflow:
        parameters: dict[str, Any] = {}
        for item in self.items("parameters"):
            if not isinstance(item, dict) or not isinstance(item.get("key"), str):
                continue
            value = item.get("value", "")
            rendered = run.render(value) if isinstance(value, str) else value
            if parse_as_json(item) and isinstance(rendered, str):
                with contextlib.suppress(ValueError, RecursionError):
                    rendered = loads(rendered)
            parameters[item["key"]] = rendered
        return StartSubflow(
            flow_sid=self.raw("flow_sid"),
            revision=self.raw("flow_revision"),
            parameters=parameters,
        )
