"""What a test case's run reports: pass or fail, the failure (message, widget, step), every
assertion, the path, the steps, the messages and actions, and the end."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .ports import CaseHttp, CaseSubflows

if TYPE_CHECKING:
    from .runner import Run


def unmocked(http: CaseHttp, subflows: CaseSubflows, types: dict[str, str]) -> list[dict]:
    out = []
    for widget in http.unmocked:
        out.append(
            {
                "assertion": f"mocks.http.{widget}",
                "ok": False,
                "widget": widget,
                "message": f"{widget} ({types.get(widget, 'HTTP')}) is not mocked: add "
                f"mocks.http.{widget} to the case, or set allowNetwork: true",
            }
        )
    for widget in subflows.unmocked:
        out.append(
            {
                "assertion": f"mocks.subflows.{widget}",
                "ok": False,
                "widget": widget,
                "message": f"the subflow of {widget} is not mocked: add "
                f"mocks.subflows.{widget} (its outputs) to the case",
            }
        )
    return out


def result_of(
    case: dict[str, Any], run: Run, outcomes: list[dict], flow_sid: str, began: float
) -> dict[str, Any]:
    failure = None
    if run.problem is not None:
        failure = {**run.problem}
        failure.setdefault("widget", run.end()["widget"])
    else:
        first = next((o for o in outcomes if not o["ok"]), None)
        if first is not None:
            failure = {"message": first["message"], "widget": first.get("widget")}
            if first.get("step"):
                failure["step"] = first["step"]
    if failure is not None and "step" not in failure:
        failure["step"] = step_of(run, failure.get("widget"))
    return {
        "name": case["name"],
        "status": "fail" if failure else "pass",
        "failure": failure,
        "assertions": outcomes,
        "path": run.path(flow_sid),
        "steps": [step_json(s) for s in run.steps],
        "messages": [public(m) for m in run.messages],
        "actions": [public(a) for a in run.actions],
        "end": run.end(),
        "duration_ms": round((time.monotonic() - began) * 1000, 1),
    }


def step_json(step: dict[str, Any]) -> dict[str, Any]:
    out = {
        "index": step["index"],
        "widget": step["transitioned_from"],
        "event": step["name"],
        "to": step["transitioned_to"],
        "flow_sid": step["flow_sid"],
    }
    if step.get("mock"):  # the case's mock answered it: `{status}`, as on a test run's step
        out["mock"] = step["mock"]
    return out


def step_of(run: Run, widget: str | None) -> int | None:
    """The last step at `widget` (or the step that follows a wait there)."""
    if widget is None:
        return None
    for step in reversed(run.steps):
        if step["transitioned_from"] == widget:
            return step["index"]
    return len(run.steps) + 1 if run.steps else None


def public(effect: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in effect.items() if k != "type"}
