from __future__ import annotations

from typing import Any

from .base import CallbackWidget, str_bool


class RecordVoicemail(CallbackWidget):
    type = "record-voicemail"
    verb = "record"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "timeout": int(self.seconds("timeout", 5)),
            "finish_on_key": str(self.props.get("finish_on_key", "#")),
            "max_length": int(self.seconds("max_length", 3600)),
            "transcribe": str_bool(self.props.get("transcribe")),
            "transcription_callback_url": self.text(run, "transcription_callback_url"),
            "trim": self.choice("trim", "trim-silence"),
            "play_beep": str_bool(self.props.get("play_beep"), True),
            "recording_status_callback_url": self.text(run, "recording_status_callback_url"),
        }

    def choose(self, params: dict[str, Any]) -> str:
        if params.get("Digits") == "hangup":
            return "hangup"
        if params.get("RecordingUrl") and str(params.get("RecordingDuration", "1")) != "0":
            return "recordingComplete"
        return "noAudio"
