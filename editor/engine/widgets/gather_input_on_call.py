from __future__ import annotations

from typing import Any

from .base import CallbackWidget, whole
from .voice import prompt


class GatherInputOnCall(CallbackWidget):
    """Digits -> keypress, SpeechResult -> speech, neither -> timeout (spec §2.11)."""

    type = "gather-input-on-call"
    verb = "gather"

    def action(self, run: Any) -> dict[str, Any]:
        gather = {
            "timeout": whole(self.seconds("timeout")),
            "finish_on_key": self.raw("finish_on_key"),
            "stop_gather": self.flag("stop_gather"),
            "speech_timeout": self.raw("speech_timeout"),
            "gather_language": self.text(run, "gather_language"),
            "hints": self.text(run, "hints"),
            "speech_model": self.text(run, "speech_model"),
            "profanity_filter": self.flag("profanity_filter"),
        }
        if "number_of_digits" in self.props:
            gather["number_of_digits"] = whole(self.number("number_of_digits"))
        return {**prompt(self, run), **gather}

    def choose(self, params: dict[str, Any]) -> str:
        if str(params.get("Digits") or "").strip():
            return "keypress"
        if str(params.get("SpeechResult") or "").strip():
            return "speech"
        return "timeout"
