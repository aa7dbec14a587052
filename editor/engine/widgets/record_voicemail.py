from __future__ import annotations

from typing import Any

from .base import CallbackWidget, whole


class RecordVoicemail(CallbackWidget):
    type = "record-voicemail"
    verb = "record"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "timeout": whole(self.seconds("timeout")),
            "finish_on_key": self.raw("finish_on_key"),
            "max_length": whole(self.seconds("max_length")),
            "transcribe": self.flag("transcribe"),
            "transcription_callback_url": self.text(run, "transcription_callback_url"),
            "trim": self.choice("trim"),
            "play_beep": self.flag("play_beep"),
            "recording_status_callback_url": self.text(run, "recording_status_callback_url"),
        }

    def choose(self, params: dict[str, Any]) -> str:
        if params.get("Digits") == "hangup":
            return "hangup"
        if params.get("RecordingUrl") and str(params.get("RecordingDuration", "1")) != "0":
            return "recordingComplete"
        return "noAudio"
