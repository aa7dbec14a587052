from __future__ import annotations

from typing import Any

from ..context import TRIGGER_EVENTS
from .base import Next, Widget


class Trigger(Widget):
    """Where executions start; the runtime leaves it by the trigger's event."""

    type = "trigger"

    def enter(self, run: Any) -> Next:
        # Reached again by a transition: inside a subflow the trigger is always the parent.
        kind = "parent" if run.state["frames"] else run.trigger_kind
        return Next(TRIGGER_EVENTS[kind])
