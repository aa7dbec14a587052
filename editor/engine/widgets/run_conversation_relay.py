from __future__ import annotations

from typing import Any

from .base import CallbackWidget, text_flag


class RunConversationRelay(CallbackWidget):
    """Hand the call to an AI application over ConversationRelay until the session ends."""

    type = "run-conversation-relay"
    verb = "conversation_relay"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "url": self.text(run, "url"),
            "welcome_greeting": self.text(run, "welcome_greeting"),
            "voice": self.text(run, "voice"),
            "language": self.text(run, "language"),
            "tts_provider": self.raw("tts_provider"),
            "transcription_provider": self.raw("transcription_provider"),
            "speech_model": self.text(run, "speech_model"),
            "dtmf_detection": text_flag(self.value("dtmf_detection")),
            "interruptible": text_flag(self.value("interruptible")),
            "parameters": self.pairs(run, "parameters"),
        }

    def choose(self, params: dict[str, Any]) -> str:
        failed = params.get("SessionStatus") in ("failed", "error") or params.get("ErrorCode")
        return "failed" if failed else "success"
