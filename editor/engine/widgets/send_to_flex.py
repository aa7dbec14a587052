from __future__ import annotations

import json
from typing import Any

from ...flowspec.jsontext import loads
from .base import CallbackWidget, Next, Wait, whole
from .enqueue_call import queue_event


class SendToFlex(CallbackWidget):
    """Create a Flex task. Calls wait in the queue for the <Enqueue> result; messaging
    executions move on once the task exists (spec §2.20)."""

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
            "priority": whole(self.number("priority")),
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
        return Next("callComplete", {"TaskSid": sid, "Attributes": attributes, "Age": 0})

    def choose(self, params: dict[str, Any]) -> str:
        return queue_event(params)
