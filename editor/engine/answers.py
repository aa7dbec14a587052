"""How a waiting execution takes an event (docs/engine.md, "Events delivered with
`resume`"): a part of the interpreter's Run (editor/engine/runtime.py)."""

from __future__ import annotations

from typing import Any

from .context import parse_channel_attributes
from .reasons import CALL_ENDED
from .widgets.base import Next, Widget


class Answering:
    """Run's handling of an event for the widget it waits in."""

    state: dict[str, Any]
    handled: bool

    def deliver(self, event: dict[str, Any]) -> None:
        wait = self.state.get("wait")
        if wait is None:
            self.handled = False
            return
        if wait["kind"] == "pause":
            self.answer_pause(wait, event)  # editor/engine/breakpoints.py
            return
        widget = self.widget(self.states[wait["widget"]])
        outcome = self.answer(widget, wait, event)
        if outcome is None:
            # A hangup that ended the execution was handled all the same.
            self.handled = self.state["status"] != "active"
            return
        self.state["wait"] = None
        self.advance(self.leave(widget, outcome))

    def answer(self, widget: Widget, wait: dict[str, Any], event: dict[str, Any]) -> Any:
        kind = event.get("type")
        if kind != "timeout" and "wait_id" in event and event["wait_id"] != wait["id"]:
            # A channel callback names the wait it answers (a voice verb's action URL
            # carries it): a retried or late one finds the execution moved on.
            return None
        if kind == "timeout":
            if event.get("wait_id") != wait["id"] or not wait.get("timeout_at"):
                return None  # stale: the execution moved on
            return widget.on_timeout(self, wait)
        if kind == "reply" and wait["kind"] == "reply":
            message = event.get("message") or {}
            if "conversation" in self.context["trigger"]:
                # Conversations deliver a reply as a new message of the conversation, which
                # flows read under trigger.conversation; `inbound` has it too.
                self.context["trigger"]["conversation"] = parse_channel_attributes(message)
            return widget.on_reply(self, message, wait)
        if kind == "event":
            return self.fire(widget, wait, str(event.get("event") or ""), event.get("params"))
        if kind in ("callback", "return") and wait["kind"] in ("callback", "return"):
            return widget.on_callback(self, event.get("params") or {}, wait)
        if kind == "hangup":
            if "hangup" in widget.events:
                if wait["kind"] == "callback" and not self.state.get("frames"):
                    # The call's end came before the widget's own callback (a Dial's
                    # action, with DialCallStatus, may arrive after the status callback):
                    # which wait and Step it was, so that late callback can still record
                    # its parameters (editor/services/late_callbacks.py).
                    self.state["hung_up"] = {
                        "wait": wait["id"],
                        "widget": widget.name,
                        "type": widget.type,
                        "step": self.state["steps"],
                    }
                return Next("hangup", event.get("params") or {})
            self.state["wait"] = None
            self.end(CALL_ENDED, "the caller hung up")
            return None
        return None

    def fire(self, widget: Widget, wait: dict[str, Any], name: str, params: Any) -> Next | None:
        """One of the waiting widget's events, named by whoever drives the run (the test
        panel offers every one, so a widget the engine cannot drive never strands a run)."""
        if name not in widget.events:
            return None
        params = params if isinstance(params, dict) else {}
        if name == wait.get("timeout_event"):
            return widget.on_timeout(self, wait)
        if wait["kind"] in ("callback", "return"):
            return widget.on_callback(self, {**params, "event": name}, wait)
        outputs = dict(wait.get("data", {}).get("outputs") or {})
        outbound = outputs.get("outbound")
        if name == "deliveryFailure" and isinstance(outbound, dict):
            # The message's status callback (or the outbox's failure) updates the Message
            # resource under `outbound`, as Studio's does; nothing else is written.
            return Next(name, {**outputs, "outbound": failed(outbound, params)})
        return Next(name, {**outputs, **params})


def failed(outbound: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """The Message resource after a delivery failure. Fired with no parameters (the test
    panel's button), it is what Twilio reports for a message the carrier refused."""
    if not params:
        status = {"Status": "undelivered", "ErrorCode": "30003"}
        return {**outbound, **status, "ErrorMessage": "Unreachable destination handset"}
    status = params.get("MessageStatus") or params.get("SmsStatus") or "undelivered"
    update = {"Status": status, "ErrorCode": params.get("ErrorCode") or None}
    return {**outbound, **update, "ErrorMessage": params.get("ErrorMessage") or None}
