from __future__ import annotations

from typing import Any

from .base import Next, Widget, str_bool


class RecordCall(Widget):
    """Start or stop recording the live call; only calls can be recorded (spec §2.15)."""

    type = "record-call"

    def enter(self, run: Any) -> Next:
        call = run.context["trigger"].get("call")
        if not call:
            return Next("failed", {})
        start = str_bool(self.props.get("record_call"), True)
        sid = run.sid("RE")
        run.emit(
            {
                "type": "action",
                "verb": "record_call",
                "widget": self.name,
                "start": start,
                "recording_channels": str(self.props.get("recording_channels", "dual")),
                "trim": self.choice("trim", "do-not-trim"),
                "recording_status_callback": self.text(run, "recording_status_callback"),
                "recording_status_callback_method": str(
                    self.props.get("recording_status_callback_method") or "POST"
                ),
                "recording_status_callback_events": str(
                    self.props.get("recording_status_callback_events") or "completed"
                ),
            }
        )
        return Next(
            "success",
            {
                "Sid": sid,
                "AccountSid": run.ports.account_sid,
                "CallSid": call.get("CallSid", ""),
                "Status": "in-progress" if start else "stopped",
                "Channels": 2 if self.props.get("recording_channels", "dual") == "dual" else 1,
                "Source": "StartCallRecordingAPI",
            },
        )
