from __future__ import annotations

from typing import Any

from ..context import TRIGGER_EVENTS
from .base import Next, Widget


class Trigger(Widget):
    """Where executions start; the runtime leaves it by the trigger's event."""

    type = "trigger"

    def enter(self, run: Any) -> Next:
        return Next(TRIGGER_EVENTS[run.trigger_kind])
