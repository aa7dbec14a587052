from __future__ import annotations

from typing import Any

from .base import CallbackWidget


class External(CallbackWidget):
    """Types nobody documents: hand the properties to the channel and wait for it to name
    one of the widget's events."""

    type = "external"
    verb = "external"

    def __init__(self, state: dict[str, Any]) -> None:
        super().__init__(state)
        self.widget_type = state.get("type", "")

    def action(self, run: Any) -> dict[str, Any]:
        return {"widget_type": self.widget_type, "properties": self.props, "events": self.events}

    def choose(self, params: dict[str, Any]) -> str | None:
        return None
