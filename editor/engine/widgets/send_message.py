from __future__ import annotations

from typing import Any

from .base import Next, Widget
from .messaging import send


class SendMessage(Widget):
    type = "send-message"

    def enter(self, run: Any) -> Next:
        outbound = send(self, run)
        return Next("sent", {"outbound": outbound}) if outbound else Next("failed", {})
