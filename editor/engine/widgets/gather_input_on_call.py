from __future__ import annotations

from typing import Any

from .base import CallbackWidget, whole
from .voice import prompt


class GatherInputOnCall(CallbackWidget):
    """Digits -> keypress, SpeechResult -> speech, neither -> timeout (spec §2.11)."""

    type = "gather-input-on-call"
    verb = "gather"

    def action(self, run: Any) -> dict[str, Any]:
        stop_gather = self.flag("stop_gather")
        gather = {
            # Studio listens for speech only when "User said something" leads somewhere
            # (its docs: connecting that transition enables speech recognition).
            "input": "dtmf speech" if self.listens_for_speech() else "dtmf",
            "timeout": whole(self.seconds("timeout")),
            # "Stop gathering on keypress?" No: no key ends the gather ("" disables it);
            # digits are submitted at the timeout or after the number of digits.
            "finish_on_key": self.raw("finish_on_key") if stop_gather else "",
            "stop_gather": stop_gather,
            "speech_timeout": self.raw("speech_timeout"),
            "gather_language": self.text(run, "gather_language"),
            "hints": self.text(run, "hints"),
            "speech_model": self.text(run, "speech_model"),
            "profanity_filter": self.flag("profanity_filter"),
        }
        if "number_of_digits" in self.props:
            gather["number_of_digits"] = whole(self.number("number_of_digits"))
        return {**prompt(self, run), **gather}

    def listens_for_speech(self) -> bool:
        return any(t.get("event") == "speech" and t.get("next") for t in self.transitions)

    def choose(self, params: dict[str, Any]) -> str:
        if str(params.get("Digits") or "").strip():
            return "keypress"
        if str(params.get("SpeechResult") or "").strip():
            return "speech"
        return "timeout"
