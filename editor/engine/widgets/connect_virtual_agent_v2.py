from __future__ import annotations

from typing import Any

from .base import CallbackWidget, Next
from .connect_virtual_agent import with_provider_data

STATUSES = ("completed", "live-agent-handoff", "failed", "paused", "timeout")


class ConnectVirtualAgentV2(CallbackWidget):
    """Dialogflow CX: VirtualAgentStatus decides (spec §2.19)."""

    type = "connect-virtual-agent-v2"
    verb = "virtual_agent"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "connector_name": self.raw("connector_name"),
            "configurations": self.pairs(run, "configurations"),
            "parameters": self.pairs(run, "parameters"),
            "status_callback": self.text(run, "status_callback"),
            "status_callback_method": self.choice("status_callback_method"),
        }

    def choose(self, params: dict[str, Any]) -> str | None:
        if params.get("CallStatus") == "completed" and not params.get("VirtualAgentStatus"):
            return "hangup"
        status = str(params.get("VirtualAgentStatus", ""))
        return status if status in STATUSES and status in self.events else None

    def on_callback(self, run: Any, params: dict[str, Any], wait: dict[str, Any]) -> Next | None:
        return with_provider_data(super().on_callback(run, params, wait))
