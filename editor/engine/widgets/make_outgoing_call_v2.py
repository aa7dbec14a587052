from __future__ import annotations

from typing import Any

from .base import CallbackWidget, whole

STATUSES = {
    "in-progress": "answered",
    "answered": "answered",
    "completed": "answered",
    "busy": "busy",
    "no-answer": "noAnswer",
    "failed": "failed",
    "canceled": "failed",
}


class MakeOutgoingCallV2(CallbackWidget):
    """Place a call to the contact; the call status decides (spec §2.13)."""

    type = "make-outgoing-call-v2"
    verb = "call"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "from": self.text(run, "from") or run.flow_address,
            "to": self.text(run, "to") or run.contact,
            "record": self.flag("record"),
            "trim": self.choice("trim"),
            "timeout": whole(self.seconds("timeout")),
            "detect_answering_machine": self.flag("detect_answering_machine"),
            "machine_detection": self.choice("machine_detection"),
            "send_digits": self.text(run, "send_digits"),
        }

    def choose(self, params: dict[str, Any]) -> str | None:
        return STATUSES.get(str(params.get("CallStatus", "")))
