from __future__ import annotations

from typing import Any

from .base import Next, Widget


class ForkStream(Widget):
    """Start or stop a media stream and move on at once (spec §2.18)."""

    type = "fork-stream"

    def enter(self, run: Any) -> Next:
        run.emit(
            {
                "type": "action",
                "verb": "stream",
                "widget": self.name,
                "stream_action": self.choice("stream_action"),
                "name": self.text(run, "stream_name"),
                "transport": self.choice("stream_transport_type"),
                "url": self.text(run, "stream_url"),
                "connector": self.raw("stream_connector"),
                "track": self.choice("stream_track"),
                "parameters": self.pairs(run, "stream_parameters"),
            }
        )
        return Next("next")
