from __future__ import annotations

from typing import Any

from .base import Next, Wait, Widget


class StartConversation(Widget):
    """Open a Conversation with the contact; REST-triggered flows only (spec §2.22).

    The conversation becomes the execution's channel (`flow.channel.sid`): later messages
    are posted to it, and its participants' messages are the replies. When Twilio carries
    out the effects (`ports.live()`), the widget waits for the outbox to create the
    conversation, its participants and its webhook, which answers with `created` or
    `failed` (docs/channels.md); otherwise the conversation is simulated at once."""

    type = "start-conversation"
    done = "created"  # the event that says the conversation is the channel now

    def enter(self, run: Any) -> Next | Wait:
        channel = run.context["flow"]["channel"]
        # Studio allows one conversation per execution.
        if run.trigger_kind != "request" or str(channel.get("sid", "")).startswith("CH"):
            return Next("failed", {})
        conversation = {
            "friendly_name": self.text(run, "friendly_name"),
            "attributes": self.json_text(run, "attributes"),
            "service_sid": self.raw("conversation_service_sid"),
        }
        if run.ports.live():
            action = {"verb": "start_conversation", "widget": self.name, **conversation}
            action.update(
                messaging_service_sid=self.text(run, "messaging_service_sid"),
                timers=self.timers(),
                participants=self.participants(run),
            )
            return Wait("callback", action=action, data={"events": self.events})
        conversation = {"sid": run.sid("CH"), **conversation}
        run.emit(
            {"type": "action", "verb": "start_conversation", "widget": self.name, **conversation}
        )
        self.join(run, conversation)
        return Next("created", {"conversation": conversation})

    def on_callback(self, run: Any, params: dict[str, Any], wait: dict[str, Any]) -> Next | None:
        event = params.get("event")
        if event not in (self.done, "failed"):
            return None
        outputs = {k: v for k, v in params.items() if k != "event"}
        if event == self.done:
            self.join(run, outputs.get("conversation") or {}, outputs.get("webhook_sid", ""))
        return Next(event, outputs)

    def join(self, run: Any, conversation: dict[str, Any], webhook_sid: str = "") -> None:
        """The conversation is the execution's channel from now on (its webhook is removed
        when the execution ends, as Studio does)."""
        channel = run.context["flow"]["channel"]
        channel["sid"] = conversation.get("sid", "")
        channel["service_sid"] = conversation.get("service_sid", "")
        if webhook_sid:
            channel["webhook_sid"] = webhook_sid

    def timers(self) -> dict[str, str]:
        timers = self.props.get("timers")
        if not isinstance(timers, dict):
            return {}
        found = {str(k).lower(): v for k, v in timers.items() if isinstance(v, str | int)}
        return {k: str(found[k]) for k in ("inactive", "closed") if found.get(k) not in (None, "")}

    def participants(self, run: Any) -> list[dict[str, str]]:
        """Chat identities and SMS/WhatsApp bindings, rendered; none given is the contact,
        reached from the flow's address."""
        out = []
        for item in self.items("participants"):
            if not isinstance(item, dict):
                continue
            rendered = {
                k: run.render(v) if isinstance(v, str) else str(v)
                for k, v in item.items()
                if k
                in (
                    "type",
                    "identity",
                    "messaging_binding_address",
                    "messaging_binding_proxy_address",
                )
            }
            if rendered.get("identity") or rendered.get("messaging_binding_address"):
                out.append(rendered)
        if not out:
            out.append(
                {
                    "messaging_binding_address": run.contact,
                    "messaging_binding_proxy_address": run.flow_address,
                }
            )
        return out
