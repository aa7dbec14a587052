"""Studio's limits (docs/studio-semantics.md): 1,000 steps, one widget at most 10 times in a row,
and an execution's lifetime, which also bounds the timer of the widget it waits in: a part
of the interpreter's Run (editor/engine/runtime.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .reasons import LOOP_LIMIT, STEP_LIMIT
from .widgets.base import Wait, Widget


class Guards:
    """Run's counting of widget entries, its waits and its deadline."""

    state: dict[str, Any]

    def count_entry(self, name: str) -> bool:
        """Studio's guards: 1,000 steps, and one widget at most 10 times in a row."""
        limits = self.ports.limits
        # Every entry leads to a Step, so one more would be one too many.
        if self.state["steps"] >= limits.max_steps:
            self.end(STEP_LIMIT, f"{name}: the execution reached {limits.max_steps} steps")
            return False
        streak = self.state["streak"]
        key = f"{self.state['flow']['sid']}/{name}"
        streak["count"] = streak["count"] + 1 if streak["widget"] == key else 1
        streak["widget"] = key
        if streak["count"] > limits.max_streak:
            self.end(LOOP_LIMIT, f"{name} ran more than {limits.max_streak} times in a row")
            return False
        return True

    def hold(self, widget: Widget, wait: Wait) -> None:
        self.state["wait_seq"] += 1
        timeout_at = None
        if wait.timeout is not None and wait.timeout > 0:
            # No timer outlives the execution: a longer one fires at the end of its lifetime.
            now = self.ports.clock()
            left = (self.deadline() - now).total_seconds()
            timeout_at = (now + timedelta(seconds=max(0.0, min(wait.timeout, left)))).isoformat()
        self.state["wait"] = {
            "id": self.state["wait_seq"],
            "widget": widget.name,
            "type": widget.type,
            "kind": wait.kind,
            "timeout_at": timeout_at,
            "timeout_event": wait.timeout_event if timeout_at else None,
            "action": wait.action,
            "data": wait.data,
            "events": widget.events,
        }
        if wait.action is not None:
            self.emit({"type": "action", **wait.action})

    def deadline(self) -> datetime:
        return datetime.fromisoformat(self.state["started_at"]) + self.ports.limits.lifetime

    def expired(self) -> bool:
        return self.ports.clock() >= self.deadline()
