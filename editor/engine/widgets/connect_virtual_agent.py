from __future__ import annotations

from typing import Any

from .base import CallbackWidget


class ConnectVirtualAgent(CallbackWidget):
    """Dialogflow ES (legacy): control returns, or the caller hangs up."""

    type = "connect-virtual-agent"
    verb = "virtual_agent"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "connector": self.raw("connector"),
            "language": self.text(run, "language"),
            "sentiment_analysis": self.flag("sentiment_analysis"),
            "status_callback": self.text(run, "status_callback"),
        }

    def choose(self, params: dict[str, Any]) -> str:
        return "hangup" if params.get("CallStatus") == "completed" else "return"
