from __future__ import annotations

from typing import Any

from .base import CallbackWidget, Wait


class SendToAutoPilot(CallbackWidget):
    """Legacy Autopilot hand-off: ends with the session, a failure or the timeout."""

    type = "send-to-auto-pilot"
    verb = "autopilot"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "assistant_sid": self.raw("autopilot_assistant_sid"),
            "body": self.text(run, "body"),
            "target_task": self.raw("target_task"),
            "memory": self.pairs(run, "memory_parameters"),
        }

    def enter(self, run: Any) -> Wait:
        wait = super().enter(run)
        timeout = self.seconds("timeout")
        return Wait(wait.kind, wait.action, timeout, "timeout", {"outputs": {}})

    def choose(self, params: dict[str, Any]) -> str:
        return "failure" if params.get("Status") == "failed" else "sessionEnded"
