"""Leaving a widget: its outputs written to `widgets.NAME`, the transition picked and the
Step recorded (docs/studio-semantics.md): a part of the interpreter's Run
(editor/engine/runtime.py)."""

from __future__ import annotations

from typing import Any

from .reasons import ERROR
from .widgets.base import Next, Widget

# Widgets whose new JSON response is merged into the old `parsed`.
MERGES_PARSED = {"run-function", "make-http-request"}


def snapshot(context: dict[str, Any]) -> dict[str, Any]:
    """The context as it is now, cheaply: the engine never changes a value once written
    except `flow.variables` and the `widgets` map themselves, so those two are copied and
    everything else is shared. The service encodes it to JSON when it stores the step."""
    flow = context["flow"]
    return {
        **context,
        "flow": {**flow, "variables": dict(flow.get("variables", {}))},
        "widgets": dict(context["widgets"]),
    }


class Stepping:
    """Run's leaving of a widget by an event, and the Steps it records."""

    state: dict[str, Any]
    steps: list[dict[str, Any]]
    timeline: list[tuple[str, dict[str, Any]]]

    def leave(self, widget: Widget, outcome: Next) -> str | None:
        """Write the outputs, record the Step and return the next widget's name."""
        if outcome.outputs is not None:
            self.write_outputs(widget, outcome.outputs)
        transition = self.pick(widget, outcome)
        target = transition.get("next") if transition else None
        target = target or None
        self.record(outcome.event, widget, target, outcome.mock)
        return target

    def pick(self, widget: Widget, outcome: Next) -> dict[str, Any] | None:
        if outcome.index is not None:
            return widget.transitions[outcome.index]
        return next((t for t in widget.transitions if t.get("event") == outcome.event), None)

    def write_outputs(self, widget: Widget, outputs: dict[str, Any]) -> None:
        widgets = self.context["widgets"]
        previous = widgets.get(widget.name)
        # Run Function (and HTTP) merge a new JSON response into the old `parsed`.
        if widget.type in MERGES_PARSED and isinstance(previous, dict) and "parsed" in previous:
            merged = dict(previous["parsed"])
            merged.update(outputs.get("parsed") or {})
            outputs = {**outputs, "parsed": merged} if outputs else outputs
        widgets[widget.name] = outputs

    def record(
        self, event: str, widget: Widget, target: str | None, mock: dict[str, Any] | None = None
    ) -> None:
        self.state["steps"] += 1
        frames = self.state["frames"]
        step = {
            "name": event,
            "transitioned_from": widget.name,
            "transitioned_to": target or "Ended",
            "type": widget.type,
            "flow_sid": self.state["flow"]["sid"],
            # Inside a subflow: the position of the parent's step that led into its Run
            # Subflow widget (the service turns it into that step's SID).
            "parent_step": frames[-1].get("parent_step") if frames else None,
        }
        if mock is not None:  # beside the context, not in it: Liquid never sees it
            step["mock"] = mock
        if self.ports.snapshots:
            step["context"] = snapshot(self.context)
        self.steps.append(step)
        self.timeline.append(("step", step))

    def fail(self, widget: Widget, message: str) -> None:
        """A template the widget could not render ends the execution. The widget's Step says
        why (its event is `error`, its outputs `{"error": {"reason", "message"}}`, as a failed
        HTTP call's are), so the author sees it in the Steps and their context."""
        self.write_outputs(widget, {"error": {"reason": "liquid", "message": message}})
        self.record("error", widget, None)
        self.end(ERROR, f"{widget.name}: {message}")
