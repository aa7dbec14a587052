"""The test panel's step debugger (docs/debugger.md): each tester's breakpoints, the
`debug` state a test run starts with, and the controls of a paused run.

Only test runs started from the panel by a signed-in user get a debugger; the engine
(editor/engine/breakpoints.py) pauses nothing else. A run stops at the breakpoints of the
tester who started it, read again before every event, so a breakpoint set mid-run counts.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..engine.breakpoints import (
    CONDITION_MAX_CHARS,
    DebugInputError,
    check_path,
    check_seed,
    check_value,
)
from ..flowspec.jsontext import unstorable_text
from ..models import Breakpoint, Execution, Flow, Widget
from .debug_state import table
from .executions import ExecutionError, Outcome

MAX_BREAKPOINTS = 200
TRIGGER = "trigger"


class NotPaused(ExecutionError):
    status = 409
    code = 20409


class NotTester(ExecutionError):
    status = 403
    code = 20403


def breakpoints_of(flow: Flow, user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "pk", None):
        return []
    return [row.as_json() for row in Breakpoint.objects.filter(flow=flow, user=user)]


def can_be_a_name(name: str) -> bool:
    """False for a name no widget can have (a NUL, a lone surrogate: nothing stored holds
    one, and PostgreSQL refuses a query that carries one)."""
    return unstorable_text(name) is None


def widget_type(flow: Flow, name: str) -> str | None:
    if not can_be_a_name(name):
        return None
    return Widget.objects.filter(flow=flow, name=name).values_list("type", flat=True).first()


def set_breakpoint(
    flow: Flow, user: Any, widget: str, condition: str = "", *, remove: bool = False
) -> list[dict[str, Any]]:
    """Set (or remove) the user's breakpoint on a widget; the user's list as it is now."""
    if remove:
        if can_be_a_name(widget):
            Breakpoint.objects.filter(flow=flow, user=user, widget=widget).delete()
        return breakpoints_of(flow, user)
    condition = condition.strip()
    if len(condition) > CONDITION_MAX_CHARS or "\x00" in condition:
        raise ExecutionError(f"A condition is at most {CONDITION_MAX_CHARS} characters of text")
    found = widget_type(flow, widget)
    if found is None or found == TRIGGER:
        raise ExecutionError(
            f"{widget} is not a widget of this flow that a run can stop at; "
            "pick a widget on the canvas (the Trigger starts every run, so it cannot have one)"
        )
    with transaction.atomic():
        mine = Breakpoint.objects.filter(flow=flow, user=user)
        if not mine.filter(widget=widget).exists() and mine.count() >= MAX_BREAKPOINTS:
            raise ExecutionError(f"At most {MAX_BREAKPOINTS} breakpoints per flow; remove some")
        Breakpoint.objects.update_or_create(
            flow=flow, user=user, widget=widget, defaults={"condition": condition}
        )
    return breakpoints_of(flow, user)


def debug_for(flow: Flow, user: Any, at: str = "", seed: Any = None) -> dict[str, Any] | None:
    """The `debug` state a test run by `user` starts with (None: no debugger), checking
    the start-anywhere widget and seed first."""
    if not getattr(user, "pk", None):
        if at:
            raise ExecutionError("Starting at a widget needs a signed-in tester")
        return None
    debug: dict[str, Any] = {
        "tester": user.pk,
        "breakpoints": table(flow.pk, user.pk),
        "mode": "run",
        "run_to": None,
        "skip": None,
        "pause": None,
    }
    if at:
        found = widget_type(flow, at)
        if found is None:
            raise ExecutionError(f"{at} is not a widget of this flow; pick one on the canvas")
        if found == TRIGGER:
            raise ExecutionError("Start at the Trigger by starting a test the usual way")
        try:
            debug["start"] = {"widget": at, "seed": check_seed(seed)}
        except DebugInputError as exc:
            raise ExecutionError(str(exc)) from None
    elif seed:
        raise ExecutionError("A seed needs a widget to start at (`at`)")
    return debug


def control(execution: Execution, user: Any, action: str, **given: Any) -> Outcome:
    """continue, step, run_to (`widget`) or edit (`path`, `value`) a paused test run."""
    from .test_runs import deliver

    debug = execution.state.get("debug")
    if debug is None or debug.get("tester") != getattr(user, "pk", None):
        raise NotTester(
            "Only the tester who started this run can control it; start your own test run"
        )
    wait = execution.wait or {}
    if wait.get("kind") != "pause":
        now = f"it waits in {wait['widget']} for a {wait['kind']}" if wait else "it is not waiting"
        raise NotPaused(f"The run is not paused: {now}")
    event: dict[str, Any] = {"type": "debug", "action": action}
    try:
        if action == "edit":
            path = given.get("path", "")
            check_path(path)
            check_value(given.get("value"), path)
            event.update(path=path, value=given.get("value"), widget=wait["widget"])
        elif action == "run_to":
            target = given.get("widget", "")
            if widget_type(execution.flow, target) in (None, TRIGGER):
                raise DebugInputError(f"{target} is not a widget of this flow a run can reach")
            event["widget"] = target
    except DebugInputError as exc:
        raise ExecutionError(str(exc)) from None
    return deliver(execution, event)
