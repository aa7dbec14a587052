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
# Answering-machine detection's limits, sent with MachineDetection (Twilio's integers).
DETECTION_LIMITS = (
    "machine_detection_timeout",
    "machine_detection_speech_threshold",
    "machine_detection_speech_end_threshold",
    "machine_detection_silence_timeout",
)


class MakeOutgoingCallV2(CallbackWidget):
    """Place a call to the contact; the call status decides (spec §2.13)."""

    type = "make-outgoing-call-v2"
    verb = "call"

    def action(self, run: Any) -> dict[str, Any]:
        action = {
            "from": self.text(run, "from") or run.flow_address,
            "to": self.text(run, "to") or run.contact,
            "record": self.flag("record"),
            "recording_channels": self.choice("recording_channels"),
            "recording_status_callback": self.text(run, "recording_status_callback"),
            "trim": self.choice("trim"),
            "timeout": whole(self.seconds("timeout")),
            "detect_answering_machine": self.flag("detect_answering_machine"),
            "machine_detection": self.choice("machine_detection"),
            "send_digits": self.text(run, "send_digits"),
            "sip_auth_username": self.text(run, "sip_auth_username"),
            "sip_auth_password": self.text(run, "sip_auth_password"),
        }
        for key in DETECTION_LIMITS:
            number = self.number(key)
            action[key] = None if number is None else int(number)
        return action

    def choose(self, params: dict[str, Any]) -> str | None:
        return STATUSES.get(str(params.get("CallStatus", "")))
