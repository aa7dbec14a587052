from __future__ import annotations

from typing import Any

from .base import CallbackWidget, whole

MAX_SIMUL_RING = 10


class ConnectCallTo(CallbackWidget):
    """Dial; the dialled leg ending is callCompleted, the caller leaving is hangup."""

    type = "connect-call-to"
    verb = "dial"

    def action(self, run: Any) -> dict[str, Any]:
        noun = self.choice("noun")
        to = self.text(run, "to")
        targets = (
            [t.strip() for t in to.split(",") if t.strip()] if noun == "number-multi" else [to]
        )
        out = {
            "noun": noun,
            "to": targets[:MAX_SIMUL_RING],
            "caller_id": self.text(run, "caller_id") or run.contact,
            "record": self.flag("record"),
            "timeout": whole(self.seconds("timeout")),
            "time_limit": whole(self.seconds("time_limit")),
        }
        if noun == "sip":
            keys = ("endpoint", "username", "password")
            out["sip"] = {k: self.text(run, f"sip_{k}") for k in keys}
        return out

    def choose(self, params: dict[str, Any]) -> str:
        # <Dial>'s action reports the caller's own leg in CallStatus: "completed" there
        # means the caller hung up (DialCallStatus then describes the dialled leg).
        if params.get("CallStatus") in ("completed", "canceled"):
            return "hangup"
        return "callCompleted"
