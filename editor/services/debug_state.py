"""What a test run's debugger keeps in its state, as the service reads and shows it
(editor/services/debugger.py has the rest; this part has no service imports, so that the
execution verbs and the transcript can use it)."""

from __future__ import annotations

from typing import Any

from ..models import Breakpoint


def table(flow_id: int, user_id: int) -> dict[str, str]:
    rows = Breakpoint.objects.filter(flow_id=flow_id, user_id=user_id)
    return dict(rows.values_list("widget", "condition"))


def refresh(flow: Any, state: dict[str, Any]) -> None:
    """Before a test run takes an event: its tester's breakpoints as they are now. A flow
    read with `has_breakpoints` False (models/execution_reads.py) has none to read."""
    debug = state.get("debug")
    if debug is None:
        return
    known_none = getattr(flow, "has_breakpoints", None) is False
    debug["breakpoints"] = {} if known_none else table(flow.pk, debug["tester"])


def debug_json(state: dict[str, Any]) -> dict[str, Any] | None:
    """What the protocol shows of a run's debugger (docs/protocol.md, `execution.debug`)."""
    debug = state.get("debug")
    if debug is None:
        return None
    return {
        "tester": debug["tester"],
        "mode": debug.get("mode", "run"),
        "run_to": debug.get("run_to"),
        "pause": debug.get("pause"),
    }
