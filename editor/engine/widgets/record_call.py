from __future__ import annotations

from typing import Any

from .base import Next, Widget


class RecordCall(Widget):
    """Start or stop recording the live call; only calls can be recorded (spec §2.15)."""

    type = "record-call"

    def enter(self, run: Any) -> Next:
        call = run.context["trigger"].get("call")
        if not call:
            return Next("failed", {})
        start = self.flag("record_call")
        sid = run.sid("RE")
        run.emit(
            {
                "type": "action",
                "verb": "record_call",
                "widget": self.name,
                "start": start,
                "recording_channels": self.choice("recording_channels"),
                "trim": self.choice("trim"),
                "recording_status_callback": self.text(run, "recording_status_callback"),
                "recording_status_callback_method": self.choice("recording_status_callback_method"),
                "recording_status_callback_events": self.choice("recording_status_callback_events"),
            }
        )
        return Next(
            "success",
            {
                "Sid": sid,
                "AccountSid": run.ports.account_sid,
                "CallSid": call.get("CallSid", ""),
                "Status": "in-progress" if start else "stopped",
                "Channels": 2 if self.choice("recording_channels") == "dual" else 1,
                "Source": "StartCallRecordingAPI",
            },
        )
