from __future__ import annotations

from typing import Any

from .base import Next, Wait
from .start_conversation import StartConversation


class ResumeConversation(StartConversation):
    """Attach the flow to an existing Conversation again (spec §2.22).

    When Twilio carries out the effects (`ports.live()`), a REST-triggered execution with no
    conversation yet waits while the outbox fetches the conversation, lists its
    participants and attaches a webhook to the flow's Webhook URL; it then leaves by
    `resumed` (or `failed`) and goes on in that conversation, as after Start Conversation.
    Otherwise the conversation is taken as it is named, at once."""

    type = "resume-conversation"
    done = "resumed"

    def enter(self, run: Any) -> Next | Wait:
        sid = self.text(run, "conversation_sid")
        if not sid:
            return Next("failed", {})
        if run.ports.live():
            channel = run.context["flow"]["channel"]
            if run.trigger_kind != "request" or str(channel.get("sid", "")).startswith("CH"):
                return Next("failed", {})
            action = {"verb": "resume_conversation", "widget": self.name, "sid": sid}
            action.update(
                service_sid=self.text(run, "conversation_service_sid"),
                webhook_filters=[str(f) for f in self.items("webhook_filters") if f],
            )
            return Wait("callback", action=action, data={"events": self.events})
        run.emit({"type": "action", "verb": "resume_conversation", "widget": self.name, "sid": sid})
        return Next("resumed", {"conversation": {"sid": sid}})
