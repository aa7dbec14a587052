from __future__ import annotations

from typing import Any

from .base import CallbackWidget
from .voice import prompt


class SayPlay(CallbackWidget):
    type = "say-play"
    verb = "say_play"

    def action(self, run: Any) -> dict[str, Any]:
        return prompt(self, run)

    def choose(self, params: dict[str, Any]) -> str:
        return "audioComplete"

    def on_callback(self, run: Any, params: dict[str, Any], wait: dict[str, Any]) -> Any:
        outcome = super().on_callback(run, params, wait)
        action = wait.get("action") or {}
        voice = {"language": action.get("language", ""), "voice": action.get("voice", "")}
        return type(outcome)(outcome.event, {**voice, **outcome.outputs})
