from __future__ import annotations

from typing import Any

from .base import CallbackWidget, whole


def queue_event(params: dict[str, Any]) -> str:
    """The <Enqueue> action's QueueResult decides (spec §2.16)."""
    result = params.get("QueueResult")
    if result == "queue-full":
        return "failedToEnqueue"
    if result in ("system-error", "error"):
        return "callFailure"
    return "callComplete"


class EnqueueCall(CallbackWidget):
    type = "enqueue-call"
    verb = "enqueue"

    def action(self, run: Any) -> dict[str, Any]:
        return {
            "queue_name": self.text(run, "queue_name"),
            "workflow_sid": self.raw("workflow_sid"),
            "task_attributes": self.text(run, "task_attributes"),
            "priority": whole(self.number("priority", run)),
            "timeout": whole(self.seconds("timeout")) or None,
            "wait_url": self.text(run, "wait_url"),
            "wait_url_method": self.choice("wait_url_method"),
        }

    def choose(self, params: dict[str, Any]) -> str:
        return queue_event(params)
