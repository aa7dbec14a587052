"""Subflows run inside the same execution (docs/studio-semantics.md): a part of the interpreter's
Run (editor/engine/runtime.py)."""

from __future__ import annotations

from typing import Any

from .context import child_context
from .reasons import FLOW_END
from .widgets.base import Next, StartSubflow, Widget


class Subflows:
    """Run's entering of a Run Subflow's child flow and its return to the parent."""

    state: dict[str, Any]

    def enter_subflow(self, widget: Widget, start: StartSubflow) -> str | None:
        child = None
        if not self.state["frames"]:  # only one level of nesting
            child = self.ports.load_subflow(start.flow_sid, start.revision, self.state["test_user"])
        if child is None:
            return self.leave(widget, Next("failed", {}))
        self.state["frames"].append(
            {
                "widget": widget.name,
                "flow": self.state["flow"],
                "context": self.context,
                "parent_step": self.state["steps"] - 1,
            }
        )
        self.state["context"] = child_context(
            self.context,
            flow_sid=child.sid,
            parameters=start.parameters,
            parent_flow_sid=self.state["flow"]["sid"],
        )
        self.state["flow"] = {"sid": child.sid, "revision": child.revision}
        self.definition = child.definition
        self.index_states()
        trigger = self.states.get(self.definition.get("initial_state", "Trigger"))
        if trigger is None:
            return self.flow_finished()
        return self.leave(self.widget(trigger), Next("incomingParent"))

    def flow_finished(self) -> str | None:
        """The current flow reached a transition without `next`."""
        if not self.state["frames"]:
            self.end(FLOW_END)
            return None
        frame = self.state["frames"].pop()
        variables = self.context["flow"].get("variables", {})
        self.state["context"] = frame["context"]
        self.state["flow"] = frame["flow"]
        self.definition = self.root
        self.index_states()
        widget = self.widget(self.states[frame["widget"]])
        return self.leave(widget, Next("completed", dict(variables)))
