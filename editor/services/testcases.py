"""A flow's test cases: stored, run and gating publish (docs/testcases.md).

Runs happen in memory (editor/testcases/runner.py) with no transaction open; only the last
result of each case is written afterwards, in one short transaction.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..engine.ports import Subflow
from ..flowspec.jsontext import loads
from ..models import Execution, Flow, FlowTestCase, FlowTestPolicy, TranscriptEntry
from ..testcases.loader import CaseError, dump_case, load_case, validate
from ..testcases.recorded import case_from_run
from ..testcases.runner import DEFAULT_SECONDS, run_case
from .executions import ExecutionError
from .runs import outbound_http, pick_revision
from .transcripts import execution_json

MAX_CASES = 100  # per flow
RUN_BUDGET = 60.0  # seconds for one "run all"; cases left over are reported as not run


class CaseRefused(ExecutionError):
    """The text is not a valid case, or the name is taken; `errors` says where."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message, errors=errors or [message])
        self.errors = errors or [message]


class TestsFailing(ExecutionError):
    """Publishing requires passing cases and some fail."""

    status = 400
    code = 81022

    def __init__(self, failing: list[dict[str, Any]]) -> None:
        names = ", ".join(
            f"{r['name']} ({(r.get('failure') or {}).get('widget') or '-'})" for r in failing
        )
        super().__init__(
            f"This flow requires passing test cases to publish; failing: {names}",
            failing=[failure_json(r) for r in failing],
        )
        self.failing = failing


def failure_json(result: dict[str, Any]) -> dict[str, Any]:
    failure = result.get("failure") or {}
    return {
        "name": result["name"],
        "widget": failure.get("widget"),
        "step": failure.get("step"),
        "message": failure.get("message"),
    }


def case_json(row: FlowTestCase, *, with_body: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.pk,
        "name": row.name,
        "created_by": row.created_by.get_username() if row.created_by else None,
        "date_created": row.date_created.isoformat(),
        "date_updated": row.date_updated.isoformat(),
        "last_result": row.last_json(),
    }
    if with_body:
        out["body"] = row.body
        out["source"] = row.source or dump_case(row.body)
    return out


def parse(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        try:
            return validate(text)
        except CaseError as exc:
            raise CaseRefused("The test case is not valid", exc.errors) from None
    if not isinstance(text, str):
        raise CaseRefused("source must be the case as YAML or JSON text")
    try:
        return load_case(text)
    except CaseError as exc:
        raise CaseRefused("The test case is not valid", exc.errors) from None


def create_case(flow: Flow, source: Any, user: Any) -> FlowTestCase:
    case = parse(source)
    text = source if isinstance(source, str) else dump_case(case)
    if FlowTestCase.objects.filter(flow=flow).count() >= MAX_CASES:
        raise CaseRefused(f"A flow has at most {MAX_CASES} test cases")
    try:
        with transaction.atomic():
            return FlowTestCase.objects.create(
                flow=flow, name=case["name"], body=case, source=text, created_by=user
            )
    except IntegrityError:
        raise CaseRefused(f"A test case named {case['name']!r} already exists") from None


def update_case(row: FlowTestCase, source: Any) -> FlowTestCase:
    case = parse(source)
    row.name, row.body = case["name"], case
    row.source = source if isinstance(source, str) else dump_case(case)
    row.last_status, row.last_widget, row.last_message = "not_run", "", ""
    row.last_run_at = None
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise CaseRefused(f"A test case named {case['name']!r} already exists") from None
    return row


def subflow_loader(flow: Flow) -> Any:
    """Subflows that a case does not mock run as a test user's would: their latest draft."""

    def load(sid: str, revision: str, test_user: bool) -> Subflow | None:
        child = Flow.objects.filter(team_id=flow.team_id, sid=sid).first()
        found = child and pick_revision(child, revision, True)
        return Subflow(child.sid, found.revision, found.definition) if found else None

    return load


def run_cases(
    flow: Flow,
    rows: list[FlowTestCase] | None = None,
    *,
    definition: dict[str, Any] | None = None,
    record: bool = True,
) -> list[dict[str, Any]]:
    """Run the flow's cases (or `rows`) against `definition` (default: the working copy,
    what the canvas shows) and store each one's last result."""
    rows = list(FlowTestCase.objects.filter(flow=flow)) if rows is None else rows
    definition = definition if definition is not None else flow.definition()
    loader = subflow_loader(flow)
    began = time.monotonic()
    results = []
    for row in rows:
        if time.monotonic() - began > RUN_BUDGET:
            results.append(not_run(row, "not run: the run's time budget was spent"))
            continue
        # No case may run past the whole run's budget.
        left = RUN_BUDGET - (time.monotonic() - began)
        limits = row.body.get("limits") or {}
        seconds = min(float(limits.get("seconds", DEFAULT_SECONDS)), left)
        case = {**row.body, "limits": {**limits, "seconds": seconds}}
        try:
            result = run_case(
                case,
                definition,
                flow_sid=flow.sid,
                account_sid=flow.team.account_sid,
                load_subflow=loader,
                real_http=outbound_http(),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            # A definition too broken to run (only an invalid draft can be).
            result = not_run(row, f"the flow could not be run: {exc}")
        results.append({**result, "id": row.pk})
    if record:
        store_results(flow, rows, results)
    return results


def not_run(row: FlowTestCase, message: str) -> dict[str, Any]:
    failure = {"message": message, "widget": None, "step": None}
    return {"id": row.pk, "name": row.name, "status": "fail", "failure": failure, "assertions": []}


def store_results(flow: Flow, rows: list[FlowTestCase], results: list[dict[str, Any]]) -> None:
    now = timezone.now()
    with transaction.atomic():
        for row, result in zip(rows, results, strict=True):
            failure = result.get("failure") or {}
            FlowTestCase.objects.filter(pk=row.pk).update(
                last_status=result["status"],
                last_widget=(failure.get("widget") or "")[:100],
                last_message=failure.get("message") or "",
                last_run_at=now,
                last_revision=flow.revision,
            )


def requires_passing(flow: Flow) -> bool:
    return FlowTestPolicy.objects.filter(flow=flow, require_passing=True).exists()


def set_policy(flow: Flow, require_passing: bool, user: Any) -> None:
    FlowTestPolicy.objects.update_or_create(
        flow=flow, defaults={"require_passing": require_passing, "updated_by": user}
    )


def check_publish(flow: Flow, definition: dict[str, Any] | None = None) -> None:
    """Refuse to publish when the flow requires passing cases and one fails (run on the
    definition about to be published; no transaction is open)."""
    if not requires_passing(flow):
        return
    if definition is None and not flow.valid:
        return  # publishing refuses it for its problems, which come first
    if definition is not None:
        from .flows import check_definition

        # A definition that cannot be published is refused for that (81022 with its
        # problems) before any case runs on it.
        check_definition(definition, allow_problems=False, publishing=True)
    results = run_cases(flow, definition=definition)
    failing = [r for r in results if r["status"] != "pass"]
    if failing:
        raise TestsFailing(failing)


def recorded_case(execution: Execution, name: str | None = None) -> dict[str, Any]:
    """A case made from a finished (or waiting) execution; validated."""
    entries = [row.as_json() for row in TranscriptEntry.objects.filter(execution=execution)]
    steps = [
        {
            "name": s.name,
            "transitioned_from": s.transitioned_from,
            "type": s.type,
            "flow_sid": s.flow_sid,
            "context": loads(s.context) if s.context else {},
        }
        for s in execution.steps.all()
    ]
    name = (
        name
        or f"Run {execution.sid[-8:]} ({timezone.localtime(execution.date_created):%Y-%m-%d %H:%M})"
    )
    facts = execution_json(execution)
    definition = flow_definition_at(execution)
    initial = definition.get("initial_state", "Trigger") if definition else "Trigger"
    case = case_from_run(facts, entries, steps, name=name[:200], initial=initial)
    try:
        return validate(case)
    except CaseError as exc:
        raise CaseRefused("This execution cannot be made a test case", exc.errors) from None


def flow_definition_at(execution: Execution) -> dict[str, Any] | None:
    from .runs import definition_of

    return definition_of(execution.flow, execution.flow_version)


def save_run_as_case(execution: Execution, user: Any, name: str | None = None) -> FlowTestCase:
    case = recorded_case(execution, name)
    return create_case(execution.flow, dump_case(case), user)


def replay(execution: Execution) -> dict[str, Any]:
    """Run an execution's recorded inputs and responses against the flow's current draft;
    where the new run stops matching the recorded one is `diverged`."""
    case = recorded_case(execution, f"Replay of {execution.sid}")
    result = run_case(
        case,
        execution.flow.definition(),
        flow_sid=execution.flow.sid,
        account_sid=execution.flow.team.account_sid,
        load_subflow=subflow_loader(execution.flow),
    )
    path = next((a for a in result["assertions"] if a["assertion"] == "path"), None)
    diverged = result.get("failure")
    if path is not None and not path["ok"]:
        diverged = {"message": path["message"], "widget": path.get("widget")}
    result["recorded_path"] = case["expect"]["path"]
    result["diverged"] = diverged
    return result
