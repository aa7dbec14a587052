from __future__ import annotations

import json
from typing import Any

from ...flowspec.jsontext import loads
from .base import CallbackWidget, Next, Wait, whole
from .enqueue_call import queue_event
from .send_message import ANSWER_TIMEOUT, in_call


class SendToFlex(CallbackWidget):
    """Create a Flex task. Calls wait in the queue for the <Enqueue> result; messaging
    executions move on once the task exists (spec §2.20): by `callComplete` when Twilio
    created it, by `failedToEnqueue` when it refused. When Twilio carries out the effects
    (`ports.live()`), the widget waits for the outbox's answer (services/outbox.py), as
    Send Message does; otherwise, and in a call whose TwiML cannot wait, it moves on at
    once."""

    type = "send-to-flex"
    verb = "enqueue"

    def task(self, run: Any) -> dict[str, Any] | None:
        attributes = self.json_text(run, "attributes")
        try:
            parsed = loads(attributes)
        except (ValueError, RecursionError):
            return None
        return {
            "workflow": self.raw("workflow"),
            "channel": self.raw("channel"),
            "attributes": parsed,
            "priority": whole(self.number("priority", run)),
            "timeout": whole(self.seconds("timeout")),
        }

    def enter(self, run: Any) -> Next | Wait:
        task = self.task(run)
        if task is None:
            return Next("failedToEnqueue", {})
        if run.trigger_kind == "call":
            action = {"verb": "enqueue", "widget": self.name, "flex": True, **task}
            action["wait_url"] = self.text(run, "waitUrl")
            action["wait_url_method"] = self.choice("waitUrlMethod")
            return Wait("callback", action=action, data={"events": self.events})
        sid = run.sid("WT")
        run.emit({"type": "action", "verb": "create_task", "widget": self.name, "sid": sid, **task})
        attributes = json.dumps(task["attributes"])
        created = {"TaskSid": sid, "Attributes": attributes, "Age": 0}
        if in_call(run) or not run.ports.live():
            return Next("callComplete", created)
        return Wait(
            "callback",
            timeout=ANSWER_TIMEOUT,
            timeout_event="failedToEnqueue",
            data={"events": self.events},
        )

    def choose(self, params: dict[str, Any]) -> str:
        return queue_event(params)
