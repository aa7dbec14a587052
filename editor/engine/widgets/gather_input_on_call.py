from __future__ import annotations

from typing import Any

from .base import CallbackWidget, str_bool
from .voice import prompt


class GatherInputOnCall(CallbackWidget):
    """Digits -> keypress, SpeechResult -> speech, neither -> timeout (spec §2.11)."""

    type = "gather-input-on-call"
    verb = "gather"

    def action(self, run: Any) -> dict[str, Any]:
        gather = {
            "timeout": int(self.seconds("timeout", 5)),
            "finish_on_key": str(self.props.get("finish_on_key", "#")),
            "stop_gather": str_bool(self.props.get("stop_gather"), True),
            "speech_timeout": str(self.props.get("speech_timeout", "auto")),
            "gather_language": self.text(run, "gather_language", "en-US"),
            "hints": self.text(run, "hints"),
            "speech_model": self.text(run, "speech_model"),
            "profanity_filter": str_bool(self.props.get("profanity_filter"), True),
        }
        if "number_of_digits" in self.props:
            gather["number_of_digits"] = int(self.number("number_of_digits", 0))
        return {**prompt(self, run), **gather}

    def choose(self, params: dict[str, Any]) -> str:
        if str(params.get("Digits") or "").strip():
            return "keypress"
        if str(params.get("SpeechResult") or "").strip():
            return "speech"
        return "timeout"
