from __future__ import annotations

from typing import Any

from .base import Next, Wait, Widget
from .messaging import send


class SendAndWaitForReply(Widget):
    """Send, then wait for the contact's reply or the timeout (spec §2.5)."""

    type = "send-and-wait-for-reply"

    def enter(self, run: Any) -> Next | Wait:
        outbound = send(self, run, to=run.contact)
        if outbound is None:
            return Next("deliveryFailure", {})
        return Wait(
            "reply",
            # 0 would leave the execution waiting with no timer: use the default.
            timeout=self.seconds("timeout") or self.default_seconds("timeout"),
            timeout_event="timeout",
            data={"outputs": {"outbound": outbound}},
        )

    def on_reply(self, run: Any, message: dict[str, Any], wait: dict[str, Any]) -> Next:
        return Next("incomingMessage", {**wait["data"]["outputs"], "inbound": dict(message)})
