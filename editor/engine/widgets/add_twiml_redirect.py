from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .base import Next, Wait, Widget


class AddTwimlRedirect(Widget):
    """Hand control to TwiML at a URL until it redirects back with FlowEvent=return."""

    type = "add-twiml-redirect"

    def enter(self, run: Any) -> Next | Wait:
        url = self.text(run, "url").strip()
        try:
            parts = urlsplit(url)
        except ValueError:  # an unparseable URL, such as an unclosed "[" in the host
            return Next("fail", {})
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Next("fail", {})
        method = self.choice("method").upper()
        timeout = self.seconds("timeout")
        return Wait(
            "return",
            action={"verb": "redirect", "widget": self.name, "url": url, "method": method},
            timeout=timeout or None,  # "0" waits for ever
            timeout_event="timeout",
            data={"outputs": {}},
        )

    def on_callback(self, run: Any, params: dict[str, Any], wait: dict[str, Any]) -> Next:
        # The TwiML's redirect back says FlowEvent=return; an event fired by name (the test
        # panel's Fail button, editor/engine/answers.py) leaves by that event.
        event = params.get("event") if params.get("event") in ("return", "fail") else "return"
        return Next(event, {k: v for k, v in params.items() if k not in ("FlowEvent", "event")})
