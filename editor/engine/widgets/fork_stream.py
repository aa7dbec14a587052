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
                "stream_action": str(self.props.get("stream_action", "start")),
                "name": self.text(run, "stream_name"),
                "transport": str(self.props.get("stream_transport_type", "websocket")),
                "url": self.text(run, "stream_url"),
                "connector": str(self.props.get("stream_connector") or ""),
                "track": str(self.props.get("stream_track", "inbound_track")),
                "parameters": self.pairs(run, "stream_parameters"),
            }
        )
        return Next("next")
