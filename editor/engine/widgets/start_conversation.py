from __future__ import annotations

from typing import Any

from .base import Next, Widget


class StartConversation(Widget):
    """Open a Conversation with the contact; REST-triggered flows only (spec §2.22)."""

    type = "start-conversation"

    def enter(self, run: Any) -> Next:
        if run.trigger_kind != "request":
            return Next("failed", {})
        sid = run.sid("CH")
        conversation = {
            "sid": sid,
            "friendly_name": self.text(run, "friendly_name"),
            "attributes": self.json_text(run, "attributes"),
            "service_sid": self.raw("conversation_service_sid"),
        }
        run.emit(
            {"type": "action", "verb": "start_conversation", "widget": self.name, **conversation}
        )
        return Next("created", {"conversation": conversation})
