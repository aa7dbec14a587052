from __future__ import annotations

from typing import Any

from .base import Next, Wait, Widget
from .messaging import send

# How long a live Send Message waits for the outbox to hear Twilio's answer before leaving
# by `failed` (the outbox's retries end within minutes; this only guards against a request
# that can never be sent, such as a connection removed while the run was in flight).
ANSWER_TIMEOUT = 3600.0


class SendMessage(Widget):
    """Send a message (spec §2.4): `sent` once the Messages (or Conversations) API created
    it, `failed` when the request failed. When Twilio carries out the effects
    (`ports.live()`), the widget waits for the outbox's answer (services/outbox.py), which
    brings the Message resource as Twilio returned it; otherwise it is simulated at once.
    In an execution with a call, whose TwiML cannot wait for the worker, it leaves by `sent`
    at once (the send still goes through the outbox)."""

    type = "send-message"

    def enter(self, run: Any) -> Next | Wait:
        outbound = send(self, run)
        if outbound is None:
            return Next("failed", {})
        if in_call(run) or not run.ports.live():
            return Next("sent", {"outbound": outbound})
        unsent = {**outbound, "Sid": None, "Status": "failed"}
        unsent["ErrorMessage"] = "Twilio did not answer the send request"
        return Wait(
            "callback",
            timeout=ANSWER_TIMEOUT,
            timeout_event="failed",
            data={"outputs": {"outbound": unsent}},
        )

    def on_callback(self, run: Any, params: dict[str, Any], wait: dict[str, Any]) -> Next | None:
        event = params.get("event")
        if event == "sent" and isinstance(params.get("outbound"), dict):
            return Next("sent", {"outbound": params["outbound"]})
        if event != "failed":
            return None
        outbound = dict(wait.get("data", {}).get("outputs", {}).get("outbound") or {})
        outbound.update(
            Status="failed",
            ErrorCode=params.get("ErrorCode") or None,
            ErrorMessage=params.get("ErrorMessage") or None,
        )
        return Next("failed", {"outbound": outbound})


# A placed call's statuses while it is up (Make Outgoing Call's outputs carry them).
LIVE_CALL = ("in-progress", "answered", "ringing")


def in_call(run: Any) -> bool:
    """An incoming call's execution, or one in which Make Outgoing Call placed a call that
    was answered (a busy or unanswered one leaves no call whose TwiML waits)."""
    if run.trigger_kind == "call":
        return True
    widgets = run.context.get("widgets") or {}
    return any(
        isinstance(out, dict) and out.get("CallSid") and out.get("CallStatus") in LIVE_CALL
        for out in widgets.values()
    )
