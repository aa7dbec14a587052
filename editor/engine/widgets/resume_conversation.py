from __future__ import annotations

from typing import Any

from .base import Next, Widget


class ResumeConversation(Widget):
    """Attach the flow to an existing Conversation again (spec §2.22)."""

    type = "resume-conversation"

    def enter(self, run: Any) -> Next:
        sid = self.text(run, "conversation_sid")
        if not sid:
            return Next("failed", {})
        run.emit({"type": "action", "verb": "resume_conversation", "widget": self.name, "sid": sid})
        return Next("resumed", {"conversation": {"sid": sid}})
