from __future__ import annotations

import contextlib
from typing import Any

from ...flowspec.jsontext import loads
from .base import CallbackWidget, Next

# The <Connect> action posts it as JSON text; Studio records it parsed (spec §2.19), so
# flows read widgets.NAME.VirtualAgentProviderData.ConversationId and the rest.
PROVIDER_DATA = "VirtualAgentProviderData"


def with_provider_data(outcome: Next | None) -> Next | None:
    """The outcome of a <Connect><VirtualAgent> action, its provider data parsed (text that
    is not a JSON object stays as it came)."""
    value = (outcome.outputs or {}).get(PROVIDER_DATA) if outcome is not None else None
    if outcome is None or not isinstance(value, str):
        return outcome
    with contextlib.suppress(ValueError, RecursionError):
        parsed = loads(value)
        if isinstance(parsed, dict):
            return Next(outcome.event, {**(outcome.outputs or {}), PROVIDER_DATA: parsed})
    return outcome


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

    def on_callback(self, run: Any, params: dict[str, Any], wait: dict[str, Any]) -> Next | None:
        return with_provider_data(super().on_callback(run, params, wait))
